// startProxy against a real API server: Services and EndpointSlices created
// through the API become rules inside a private network namespace, and a
// stop with cleanup leaves nothing of the proxy's behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetNs } from '../cri/testing/netns.js';
import { startTestControlPlane } from '../testing/control-plane.js';
import { waitFor } from '../testing/wait-for.js';
import { silentLogger } from '../util/log.js';
import { SERVICE_ROUTE_TABLE } from '../network/node-routes.js';
import { startProxy } from './start.js';

test('startProxy follows Services and EndpointSlices from the API server; stop with cleanup removes rules and routes', async () => {
  const cp = await startTestControlPlane({ datastore: 'memory' });
  const ns = await createNetNs('kt-prx-');
  try {
    // A node address for the host service route (the namespace has only lo otherwise).
    await ns.run('ip', ['link', 'add', 'kt-br0', 'type', 'bridge']);
    await ns.run('ip', ['addr', 'add', '10.88.77.1/24', 'dev', 'kt-br0']);
    await ns.run('ip', ['link', 'set', 'kt-br0', 'up']);
    const nat = async () => (await ns.run('iptables-save', ['-t', 'nat'])).stdout;
    const filter = async () => (await ns.run('iptables-save', ['-t', 'filter'])).stdout;

    const svc = await cp.client.services.create('default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] } });
    const clusterIP = (svc.spec as { clusterIP: string }).clusterIP;
    assert.match(clusterIP, /^\d+\.\d+\.\d+\.\d+$/);

    const proxy = await startProxy({ client: cp.client, nodeName: 'n1', clusterCIDR: '10.88.0.0/16', serviceCIDR: '10.43.0.0/16', nodeIP: '10.88.77.1', run: ns.run, minSyncPeriodMs: 20, log: silentLogger });
    try {
      // No endpoints yet: rejected in filter.
      assert.match(await filter(), new RegExp(`-A KUBE-SERVICES -d ${clusterIP}/32 .*-j REJECT`));
      assert.match((await ns.run('ip', ['route', 'show', 'table', String(SERVICE_ROUTE_TABLE)])).stdout, /10\.43\.0\.0\/16 dev lo .*src 10\.88\.77\.1/);
      assert.match((await ns.run('ip', ['route'])).stdout, /unreachable 10\.43\.0\.0\/16/);

      await cp.client.resource({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true } as never).create('default', {
        metadata: { name: 'web-1', labels: { 'kubernetes.io/service-name': 'web' } },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: [{ addresses: ['10.88.77.5'], conditions: { ready: true }, nodeName: 'n1' }],
      } as never);
      await waitFor(async () => /DNAT --to-destination 10\.88\.77\.5:8080/.test(await nat()), { timeoutMs: 10_000, what: 'DNAT rule for the new endpoint' });
      assert.doesNotMatch(await filter(), new RegExp(`-d ${clusterIP}/32 .*REJECT`));

      await cp.client.services.delete('default', 'web');
      // Only web's rules go: the kubernetes Service (with its own EndpointSlice) keeps its chains.
      await waitFor(async () => !/default\/web:http/.test(await nat()), { timeoutMs: 10_000, what: "web's service chains removed" });
      assert.doesNotMatch(await nat(), /10\.88\.77\.5:8080/);
    } finally {
      await proxy.stop({ cleanup: true });
    }
    assert.doesNotMatch(await nat(), /KUBE-/);
    assert.doesNotMatch(await filter(), /KUBE-/);
    assert.equal((await ns.run('ip', ['rule', 'show', 'pref', String(SERVICE_ROUTE_TABLE)])).stdout.trim(), '');
  } finally {
    await ns.delete();
    await cp.stop();
  }
});
