// The kubelet API against a real containerd 1.6 (in the test's own network
// namespace, src/cri/testing/containerd-harness.ts), and the API server's
// proxy to it driven by the real kubectl 1.27 (SPDY) and 1.33 (WebSockets):
// large exec transfers, port-forward, a TTY and attach, and which transport
// each used. (Logs, exit codes and cp through kubectl: src/kubelet/e2e/node.test.ts.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';
import type { Pod } from '../../api/core-v1.js';
import { startApiServer, type RunningApiServer } from '../../apiserver/server.js';
import { ensurePki, issueServingCert, type Pki } from '../../apiserver/pki/index.js';
import { startTestNode, type TestNode } from '../../cri/testing/containerd-harness.js';
import { testContainerConfig, testSandboxConfig } from '../../cri/testing/configs.js';
import { kubectlPath, run, runKubectl, type KubectlVersion } from '../../testing/server-process.js';
import { waitFor } from '../../testing/wait-for.js';
import { createLogger, silentLogger } from '../../util/log.js';
import { startKubeletServer, type KubeletServer } from './index.js';
import { readResponseHead } from './runtime-dial.js';
import { SpdyConnection } from './spdy/connection.js';
import { netnsDialer } from './testing/netns-dial.js';

const NS = 'default';
const POD = 'web';

let node: TestNode;
let dataDir: string;
let api: RunningApiServer;
let pki: Pki;
let kubelet: KubeletServer;
let containerId = '';
let sandboxId = '';
let logPath = '';
/** Pods whose container reads one line from stdin, answers and exits (for attach; one per kubectl). */
const talkers: Record<string, { sandboxId: string; containerId: string; logPath: string }> = {};
const talkerName = (v: string) => `talker-${v.replace('.', '')}`;
/** The kubelet's debug log: which transport each stream session used. */
const sessions: { kind: string; transport: string; protocol: string }[] = [];

const podObject = (name = POD, stdin = false): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'kubets.local/busybox:1.35', stdin, stdinOnce: stdin }] },
  }) as Pod;

before(async () => {
  node = await startTestNode();
  const sc = testSandboxConfig(node, POD);
  sandboxId = await node.cri.runPodSandbox(sc);
  const cc = testContainerConfig('app', ['sh', '-c', 'mkdir -p /www && echo pf-ok > /www/index.html && echo started && echo warn >&2 && httpd -p 8080 -h /www && exec sleep 3600']);
  containerId = await node.cri.createContainer(sandboxId, cc, sc);
  await node.cri.startContainer(containerId);
  logPath = join(sc.log_directory, cc.log_path);
  for (const v of ['1.27', '1.33']) {
    const tsc = testSandboxConfig(node, talkerName(v));
    const tSandbox = await node.cri.runPodSandbox(tsc);
    const tcc = testContainerConfig('app', ['sh', '-c', 'read line; echo "got:$line"'], { stdin: true, stdin_once: true });
    const tContainer = await node.cri.createContainer(tSandbox, tcc, tsc);
    await node.cri.startContainer(tContainer);
    talkers[talkerName(v)] = { sandboxId: tSandbox, containerId: tContainer, logPath: join(tsc.log_directory, tcc.log_path) };
  }

  dataDir = mkdtempSync(join(tmpdir(), 'kt-kserver-e2e-'));
  api = await startApiServer({ dataDir, port: 0, logger: silentLogger });
  pki = await ensurePki(dataDir);
  const serving = issueServingCert(pki, { hostnames: ['node-1'], ips: ['127.0.0.1'] });
  const pods = [podObject(), ...Object.keys(talkers).map((t) => podObject(t, true))];
  const refs: Record<string, { containerId: string; sandboxId: string; logPath: string }> = { [POD]: { containerId, sandboxId, logPath }, ...talkers };
  kubelet = await startKubeletServer({
    port: 0,
    host: '127.0.0.1',
    certPem: serving.certPem,
    keyPem: serving.keyPem,
    clientCaPem: pki.ca.certPem,
    runtime: node.cri,
    nodeName: 'node-1',
    dialRuntime: netnsDialer(node.netnsPath),
    logger: createLogger('debug', {}, (line) => {
      const rec = JSON.parse(line) as { msg: string; kind: string; transport: string; protocol: string };
      if (rec.msg === 'stream session') sessions.push({ kind: rec.kind, transport: rec.transport, protocol: rec.protocol });
    }),
    pods: {
      listPods: () => pods,
      getPod: (ns, name) => (ns === NS ? pods.find((p) => p.metadata.name === name) ?? null : null),
      findContainer: (ns, p, c, previous) => (ns === NS && c === 'app' && !previous ? refs[p] ?? null : null),
      findSandbox: (ns, p) => (ns === NS && refs[p] ? { sandboxId: refs[p]!.sandboxId } : null),
    },
  });
  // The API objects: a node whose kubelet is this server, and the pod bound to it.
  await kubectlOk('1.33', ['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } }));
  const status = { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } } };
  await kubectlOk('1.33', ['patch', 'node', 'node-1', '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]);
  for (const p of pods) {
    await kubectlOk('1.33', ['create', '-f', '-'], JSON.stringify(p));
    await kubectlOk('1.33', ['patch', 'pod', p.metadata.name!, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { phase: 'Running' } })]);
  }
  await waitFor(async () => (await node.cri.containerStatus(containerId))?.state === 'CONTAINER_RUNNING', 10_000, 'container running');
});

after(async () => {
  await kubelet?.close();
  await api?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await node?.stop();
});

const env = () => ({ ...process.env, KUBECONFIG: api.kubeconfigPath, HOME: dataDir });

function kubectl(v: KubectlVersion, args: string[], input?: string) {
  return runKubectl(kubectlPath(v), args, { input, env: env(), timeoutMs: 60_000 });
}

async function kubectlOk(v: KubectlVersion, args: string[], input?: string): Promise<string> {
  const r = await kubectl(v, args, input);
  assert.equal(r.code, 0, `kubectl ${v} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function kubeletGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port: kubelet.port, path, ...tlsOpts() }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const tlsOpts = () => ({ rejectUnauthorized: false, cert: pki.kubeletClient.certPem, key: pki.kubeletClient.keyPem });

describe('kubelet server against containerd', () => {
  it('serves the container log', async () => {
    const text = await waitFor(async () => {
      const r = await kubeletGet(`/containerLogs/${NS}/${POD}/app`);
      return r.status === 200 && r.body.includes('started') && r.body.includes('warn') ? r.body : null;
    }, 10_000, 'log lines');
    assert.deepEqual(text.split('\n').slice(0, 2).sort(), ['started', 'warn']);
  });

  function wsExec(query: string) {
    return new WebSocket(`wss://127.0.0.1:${kubelet.port}/exec/${NS}/${POD}/app?${query}`, ['v5.channel.k8s.io'], tlsOpts());
  }

  async function runWs(ws: WebSocket, onOpen: (ws: WebSocket) => void = () => {}) {
    const got: Record<number, string> = { 1: '', 2: '', 3: '' };
    ws.on('message', (d: Buffer) => (got[d[0]!] = (got[d[0]!] ?? '') + d.subarray(1).toString('utf8')));
    ws.on('open', () => onOpen(ws));
    await new Promise((resolve, reject) => {
      ws.on('close', resolve);
      ws.on('error', reject);
    });
    return got;
  }

  it('serves a stats summary with real numbers', async () => {
    const summary = await waitFor(async () => {
      const body = JSON.parse((await kubeletGet('/stats/summary')).body) as { node: { cpu: { usageCoreNanoSeconds: number }; memory: { workingSetBytes: number } }; pods: { podRef: { name: string }; containers: { name: string; cpu?: { usageCoreNanoSeconds: number }; memory?: { workingSetBytes: number } }[] }[] };
      return body.pods.some((p) => p.podRef.name === POD) ? body : null;
    }, 10_000, 'stats for the pod');
    assert.ok(summary.node.cpu.usageCoreNanoSeconds > 0);
    assert.ok(summary.node.memory.workingSetBytes > 0);
    const web = summary.pods.find((p) => p.podRef.name === POD)!;
    assert.equal(web.containers[0]!.name, 'app');
    assert.ok(web.containers[0]!.cpu!.usageCoreNanoSeconds > 0);
    assert.ok(web.containers[0]!.memory!.workingSetBytes > 0);
  });

  it('runs exec over WebSocket v5: stdout, stderr and a non-zero exit code', async () => {
    const got = await runWs(wsExec('command=sh&command=-c&command=echo%20out%3B%20echo%20err%20%3E%262%3B%20exit%203&stdout=true&stderr=true'));
    assert.equal(got[1], 'out\n');
    assert.equal(got[2], 'err\n');
    const status = JSON.parse(got[3]!);
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.equal(status.details.causes[0].message, '3');
  });

  it('passes stdin and its EOF (a SPDY half-close to containerd)', async () => {
    const got = await runWs(wsExec('command=cat&stdin=true&stdout=true&stderr=true'), (ws) => {
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('from stdin\n')]));
      ws.send(Buffer.from([255, 0]));
    });
    assert.equal(got[1], 'from stdin\n');
    assert.equal(JSON.parse(got[3]!).status, 'Success');
  });

  it('proxies a SPDY exec upgrade to containerd', async () => {
    const sock = tlsConnect({ host: '127.0.0.1', port: kubelet.port, ...tlsOpts() });
    await new Promise((resolve) => sock.once('secureConnect', resolve));
    sock.write(`POST /exec/${NS}/${POD}/app?command=sh&command=-c&command=echo%20spdy%3B%20exit%205&stdout=1&stderr=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n`);
    const head = await readResponseHead(sock);
    assert.equal(head.statusCode, 101);
    const conn = new SpdyConnection(sock, head.rest);
    const err = conn.openStream({ streamtype: 'error' });
    const out = conn.openStream({ streamtype: 'stdout' });
    conn.openStream({ streamtype: 'stderr' });
    let stdout = '';
    let status = '';
    out.on('data', (d) => (stdout += d));
    err.on('data', (d) => (status += d));
    await new Promise<void>((resolve) => conn.on('close', () => resolve()));
    assert.equal(stdout, 'spdy\n');
    assert.equal(JSON.parse(status).details.causes[0].message, '5');
  });
});

describe('API server proxy with the real kubectl', () => {
  for (const v of ['1.27', '1.33'] as const) {
    it(`kubectl ${v}: large exec transfers, port-forward, a TTY and attach, each on its transport`, async () => {
      const seen = sessions.length;
      // Logs, exit codes, small stdin, logs -f and cp run end to end in src/kubelet/e2e/node.test.ts.
      // Here: megabytes both ways (no flow-control stall in the bridge or the SPDY client).
      const big = await kubectl(v, ['exec', '-i', POD, '--', 'wc', '-c'], 'x'.repeat(3_000_000));
      assert.equal(big.stdout.trim(), '3000000', big.stderr);
      const bigOut = await kubectl(v, ['exec', POD, '--', 'head', '-c', '3000000', '/dev/zero']);
      assert.equal(bigOut.stdout.length, 3_000_000, bigOut.stderr);
      const missing = await kubectl(v, ['logs', 'nope']);
      assert.match(missing.stderr, /pods "nope" not found/);

      // port-forward: kubectl listens on a free local port and prints it.
      const pf = spawn(kubectlPath(v), ['port-forward', `pod/${POD}`, ':8080'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        let printed = '';
        pf.stdout.on('data', (d) => (printed += d));
        pf.stderr.on('data', (d) => (printed += d));
        const port = await waitFor(() => /Forwarding from 127\.0\.0\.1:(\d+)/.exec(printed)?.[1], 15_000, 'port-forward listening');
        const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
        assert.equal(body, 'pf-ok\n');
        const again = await (await fetch(`http://127.0.0.1:${port}/index.html`)).text();
        assert.equal(again, 'pf-ok\n');
      } finally {
        pf.kill();
      }
      // A TTY (under script(1) for a terminal): the command sees one, and the size is sent.
      const tty = await run('script', ['-qec', `${kubectlPath(v)} exec -it ${POD} -- sh -c 'tty; stty size'`, '/dev/null'], { env: env(), timeoutMs: 30_000 });
      assert.equal(tty.code, 0, tty.stdout + tty.stderr);
      assert.match(tty.stdout, /\/dev\/pts\/\d+/);

      // 1.27 speaks SPDY; 1.33 WebSockets (v5 for exec, the SPDY tunnel for port-forward) with no fallback.
      const used = () => sessions.slice(seen).map((s) => `${s.kind}/${s.transport}/${s.protocol}`);
      const want =
        v === '1.27'
          ? ['exec/spdy/v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io', 'portForward/spdy/portforward.k8s.io']
          : ['exec/websocket/v5.channel.k8s.io', 'portForward/websocket/SPDY/3.1+portforward.k8s.io'];
      // attach: stdin in, the container's answer out, and the session ends when it exits.
      const attached = await kubectl(v, ['attach', '-i', talkerName(v), '-c', 'app'], 'hello\n');
      assert.equal(attached.code, 0, attached.stderr);
      assert.match(attached.stdout, /got:hello/);
      want.push(v === '1.27' ? 'attach/spdy/v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io' : 'attach/websocket/v5.channel.k8s.io');
      assert.deepEqual([...new Set(used())].sort(), want.sort());
    });
  }
});
