// Real traffic through the proxy's rules: busybox httpd pods on a test node
// (its own network namespace, containerd and bridge), a Service's cluster IP
// in front of them, and clients both on the node and in a pod. Service IPs
// exist only inside that namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { startTestNode, type TestNode } from '../cri/testing/containerd-harness.js';
import { testContainerConfig, testSandboxConfig } from '../cri/testing/configs.js';
import { installServiceRoute, installUnreachableRoutes } from '../network/node-routes.js';
import { waitFor } from '../testing/wait-for.js';
import { scaled } from '../testing/time-scale.js';
import { silentLogger } from '../util/log.js';
import { Proxier } from './proxier.js';
import type { EndpointSliceObject, ServiceObject } from './service-ports.js';

const SERVICE_CIDR = '10.43.0.0/16';

async function startWebPod(node: TestNode, name: string): Promise<{ ip: string; containerId: string }> {
  const sc = testSandboxConfig(node, name);
  const sandboxId = await node.cri.runPodSandbox(sc);
  const ip = (await node.cri.podSandboxStatus(sandboxId))!.network!.ip;
  const containerId = await node.cri.createContainer(sandboxId, testContainerConfig('web', ['sh', '-c', `mkdir /www && echo ${name} > /www/index.html && exec httpd -f -p 8080 -h /www`]), sc);
  await node.cri.startContainer(containerId);
  await waitFor(() => node.httpGet(`http://${ip}:8080/`), { timeoutMs: 15_000, what: `${name} httpd` });
  return { ip, containerId };
}

function service(name: string, clusterIP: string, extra: Partial<NonNullable<ServiceObject['spec']>> = {}): ServiceObject {
  return { metadata: { namespace: 'default', name }, spec: { clusterIP, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }], ...extra } };
}
function slice(name: string, ips: string[]): EndpointSliceObject {
  return {
    metadata: { namespace: 'default', name: `${name}-1`, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true }, nodeName: 'n1' })),
  };
}

test('cluster IP reaches both pods, rejects at once without endpoints (from the node and from pods), NodePort and LoadBalancer answer, ClientIP affinity holds, and pods (hairpin too) get through', async () => {
  const node = await startTestNode({ podCIDR: `10.88.${randomInt(0, 256)}.0/24` });
  try {
    const a = await startWebPod(node, 'pod-a');
    const b = await startWebPod(node, 'pod-b');
    const gateway = node.podCIDR.replace(/0\/24$/, '1');
    await installUnreachableRoutes(['10.88.0.0/16', SERVICE_CIDR], silentLogger, node.run);
    await installServiceRoute(SERVICE_CIDR, gateway, node.run);

    const services = [
      service('web', '10.43.0.10'),
      service('np', '10.43.0.13', { type: 'NodePort', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 }] }),
      // What the servicelb controller publishes: the node's address as the load-balancer IP.
      { ...service('lb', '10.43.0.14', { type: 'LoadBalancer', ports: [{ name: 'http', port: 81, protocol: 'TCP', targetPort: 8080, nodePort: 30081 }] }), status: { loadBalancer: { ingress: [{ ip: gateway }] } } }, service('empty', '10.43.0.11'), service('sticky', '10.43.0.12', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })];
    let slices = [slice('web', [a.ip, b.ip]), slice('sticky', [a.ip, b.ip]), slice('np', [b.ip]), slice('lb', [a.ip])];
    const p = new Proxier({ nodeName: 'n1', clusterCIDR: '10.88.0.0/16', serviceCIDR: SERVICE_CIDR, run: node.run, minSyncPeriodMs: 10, source: { services: () => services, endpointSlices: () => slices } });
    p.markChanged();
    await p.whenIdle();
    assert.equal(p.stats.failures, 0);

    // Spread: both backends answer through the one cluster IP.
    const seen = new Set<string>();
    await waitFor(async () => {
      seen.add((await node.httpGet('http://10.43.0.10/')).body.trim());
      return seen.size === 2;
    }, { timeoutMs: 30_000, what: 'both pods behind the cluster IP' });
    assert.deepEqual([...seen].sort(), ['pod-a', 'pod-b']);

    // No endpoints: refused (a REJECT rule answers with a reset), not a drop, which would end in
    // the request's 5 s timeout instead. Wall-clock time here would mostly measure the helper
    // process's start, which on a loaded host has taken 6 s.
    await assert.rejects(node.httpGet('http://10.43.0.11/', 5_000), /ECONNREFUSED/);

    // NodePort on the node's address.
    assert.equal((await node.httpGet(`http://${gateway}:30080/`)).body.trim(), 'pod-b');
    // LoadBalancer: the service port on the load-balancer address.
    assert.equal((await node.httpGet(`http://${gateway}:81/`)).body.trim(), 'pod-a');

    // ClientIP affinity: one client, one backend.
    const sticky = new Set<string>();
    for (let i = 0; i < 8; i++) sticky.add((await node.httpGet('http://10.43.0.12/')).body.trim());
    assert.equal(sticky.size, 1, `affinity broke: ${[...sticky].join(', ')}`);

    // From a pod (forwarded through the bridge), including a pod reaching itself (hairpin).
    const fromPod = new Set<string>();
    await waitFor(async () => {
      // busybox wget crashes in these images; a raw HTTP/1.0 request through nc does the same.
      const r = await node.cri.execSync(a.containerId, ['sh', '-c', 'printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc -w 3 10.43.0.10 80'], 10);
      if (r.exit_code !== 0) throw new Error(`nc exit ${r.exit_code}: ${Buffer.from(r.stderr).toString()}`);
      fromPod.add(Buffer.from(r.stdout).toString().trim().split('\n').at(-1)!.trim());
      return fromPod.size === 2;
    }, { timeoutMs: 30_000, what: 'both pods from pod-a' });

    // From a pod, a service without endpoints and an unmatched service IP are refused at once,
    // every time: a TCP reset in FORWARD, not a routing error whose ICMP answers the
    // kernel rate-limits per source (repeated attempts then hung until their timeout).
    const refusals = async (target: string) => {
      const t = Date.now();
      const r = await node.cri.execSync(a.containerId, ['sh', '-c', `for i in 1 2 3 4 5 6; do nc -w 3 ${target} 80 </dev/null; done 2>&1`], 30);
      return { out: Buffer.from(r.stdout).toString(), ms: Date.now() - t };
    };
    for (const target of ['10.43.0.11', '10.43.0.99']) {
      const { out, ms } = await refusals(target);
      assert.equal(out.match(/Connection refused/g)?.length, 6, `${target} from a pod:\n${out}`);
      assert.ok(ms < Math.min(scaled(3_000), 15_000), `6 refusals of ${target} took ${ms} ms`);
    }

    // The endpoints go away: the same cluster IP now refuses.
    slices = [slice('web', [])];
    p.markChanged();
    await p.whenIdle();
    await assert.rejects(node.httpGet('http://10.43.0.10/', 5_000), /ECONNREFUSED/);
    await p.cleanup();
  } finally {
    await node.stop();
  }
});
