import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { lbAddresses, serviceLbController } from './index.js';

let cp: TestControlPlane;
before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
});
after(() => cp.stop());

const node = (name: string, ip: string, ready = true): KubeObject => ({
  metadata: { name },
  status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const ingress = async (name: string) => ((await cp.client.services.get('default', name)).status as { loadBalancer?: { ingress?: { ip: string }[] } } | undefined)?.loadBalancer?.ingress?.map((i) => i.ip) ?? [];

test('lbAddresses: InternalIPs of Ready nodes, sorted; all nodes when none is Ready', () => {
  assert.deepEqual(lbAddresses([node('b', '192.0.2.2'), node('a', '192.0.2.1'), node('c', '192.0.2.3', false)] as never), ['192.0.2.1', '192.0.2.2']);
  assert.deepEqual(lbAddresses([node('c', '192.0.2.3', false)] as never), ['192.0.2.3']);
});

test('LoadBalancer services get the node addresses; node changes and type changes follow', async () => {
  const abort = new AbortController();
  const running = serviceLbController(cp.controllerContext({})).run(abort.signal);
  try {
    for (const [n, ip] of [['n1', '192.0.2.1'], ['n2', '192.0.2.2']] as const) {
      const created = await cp.client.nodes.create(undefined, { metadata: { name: n } });
      await cp.client.nodes.updateStatus({ ...created, status: node(n, ip).status as never });
    }
    await cp.client.services.create('default', { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80, protocol: 'TCP' }] } });
    await cp.client.services.create('default', { metadata: { name: 'plain' }, spec: { selector: { app: 'x' }, ports: [{ port: 80, protocol: 'TCP' }] } });
    await cp.client.services.create('default', { metadata: { name: 'other' }, spec: { type: 'LoadBalancer', loadBalancerClass: 'example.com/lb', selector: { app: 'x' }, ports: [{ port: 80, protocol: 'TCP' }] } });
    await waitFor(async () => JSON.stringify(await ingress('lb')) === '["192.0.2.1","192.0.2.2"]', 10_000, 'ingress of lb');

    const n3 = await cp.client.nodes.create(undefined, { metadata: { name: 'n3' } });
    await cp.client.nodes.updateStatus({ ...n3, status: node('n3', '192.0.2.3').status as never });
    await waitFor(async () => (await ingress('lb')).length === 3, 10_000, 'third node added');
    await cp.client.nodes.delete(undefined, 'n1');
    await waitFor(async () => JSON.stringify(await ingress('lb')) === '["192.0.2.2","192.0.2.3"]', 10_000, 'n1 removed');

    // Back to ClusterIP: the published ingress goes.
    const lb = await cp.client.services.get('default', 'lb');
    const spec = { ...lb.spec, type: 'ClusterIP', ports: lb.spec!.ports!.map(({ nodePort: _np, ...p }) => p) } as Record<string, unknown>;
    delete spec.externalTrafficPolicy;
    await cp.client.services.update({ ...lb, spec } as never);
    await waitFor(async () => (await ingress('lb')).length === 0, 10_000, 'ingress cleared');
    assert.deepEqual(await ingress('plain'), []);
    assert.deepEqual(await ingress('other'), [], 'another load balancer class is left alone');
  } finally {
    abort.abort();
    await running;
  }
});
