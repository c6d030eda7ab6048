// Cluster DNS end to end: `kubets server` with its node agent (pods get
// ClusterFirst resolv.conf pointing at the node address) and `kubets dns`
// listening there, all inside a private network namespace; real busybox pods
// resolve Services, StatefulSet-style hostnames and pod names.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { ensureBuiltImages } from '../../cri/testing/images.js';
import { createTestNetns, type TestNetns } from '../../testing/netns.js';
import { KUBETS_BIN, startServerProcess, type ServerProcess } from '../../testing/server-process.js';
import { waitFor } from '../../testing/wait-for.js';

const BUSYBOX = 'kubets.local/busybox:1.35';
let netns: TestNetns;
let server: ServerProcess;
let dns: ChildProcess | undefined;
let dnsLog = '';

async function k(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl('1.33', args, { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

interface PodJson {
  status?: { podIP?: string; conditions?: { type: string; status: string }[] };
}
// Waits read through the API in-process: a kubectl per poll costs a process start.
const getPod = (name: string) => server.get<PodJson>(`/api/v1/namespaces/default/pods/${name}`);
const ready = (p: PodJson) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

before(async () => {
  // The agent imports the pause and busybox images from build/images.
  await ensureBuiltImages();
  netns = await createTestNetns();
  server = await startServerProcess({ agent: true, netnsPrefix: netns.prefix, args: ['--node-ip', netns.nodeIP, '--cluster-dns', netns.nodeIP] });
  await waitFor(async () => {
    const nodes = await server.get<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>('/api/v1/nodes');
    return nodes.items.some((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  }, { timeoutMs: 60_000, what: 'the node to be Ready', intervalMs: 250 });
  dns = spawn(netns.prefix[0]!, [...netns.prefix.slice(1), process.execPath, KUBETS_BIN, 'dns', '--kubeconfig', server.kubeconfig, '--listen', `${netns.nodeIP}:53`, '--upstream', '127.0.0.1:9', '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  dns.stderr!.on('data', (d) => (dnsLog += d));
});

after(async () => {
  if (dns && dns.exitCode === null) {
    const exited = new Promise((r) => dns!.once('exit', r));
    dns.kill('SIGTERM');
    await exited;
  }
  await server?.stop();
  await netns?.remove();
});

describe('cluster DNS from real pods', () => {
  it('resolves services, headless hostnames and pod names through the pod resolv.conf', async () => {
    await k(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: { app: 'nothing' }, ports: [{ name: 'http', port: 80 }] } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'web-0', labels: { app: 'web' } },
          spec: { hostname: 'web-0', subdomain: 'web', terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: BUSYBOX, command: ['sleep', '3600'] }] },
        },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: BUSYBOX, command: ['sleep', '3600'] }] } },
      ],
    }));
    const explain = async (err: unknown) => {
      const d = await server.kubectl('1.33', ['describe', 'pods']);
      throw new Error(`${(err as Error).message}\n${d.stdout}\nserver log tail:\n${server.logs().slice(-3000)}`);
    };
    const web = await waitFor(async () => {
      const p = await getPod('web-0');
      return ready(p) ? p : undefined;
    }, { timeoutMs: 90_000, what: 'web-0 Ready', intervalMs: 250 }).catch(explain);
    await waitFor(async () => ready(await getPod('client')), { timeoutMs: 60_000, what: 'client Ready', intervalMs: 250 }).catch(explain);
    const apiIP = JSON.parse(await k(['get', 'service', 'api', '-o', 'json'])).spec.clusterIP as string;

    const resolvConf = await k(['exec', 'client', '--', 'cat', '/etc/resolv.conf']);
    assert.match(resolvConf, new RegExp(`^nameserver ${netns.nodeIP.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(resolvConf, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/m);

    const lookup = async (name: string) => {
      const r = await server.kubectl('1.33', ['exec', 'client', '--', 'nslookup', name]);
      return `${r.stdout}\n${r.stderr}`;
    };
    const webIP = web.status!.podIP!;
    // Each answer is awaited: on a starved host one nslookup (or its exec) can time out.
    const resolves = (name: string, want: RegExp | string) =>
      waitFor(async () => {
        const out = await lookup(name);
        return (typeof want === 'string' ? out.includes(want) : want.test(out)) ? out : undefined;
      }, { timeoutMs: 30_000, what: `${name} resolving to ${String(want)} (dns log: ${dnsLog})`, intervalMs: 250 });
    await resolves('web-0.web.default.svc.cluster.local', webIP);
    await resolves('api.default.svc.cluster.local', apiIP);
    await resolves(`${webIP.replace(/\./g, '-')}.default.pod.cluster.local`, webIP);
    await resolves('missing.default.svc.cluster.local', /NXDOMAIN|can't find/);
    // A short name goes through the pod's search path. (busybox's nslookup applies
    // the search list only to dotless names, so `web-0.web` is not tried here.)
    await resolves('api', apiIP);
  });
});
