import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { EndpointSlice, Pod } from '../../client/types.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { endpointSliceController } from './index.js';

let cp: TestControlPlane;
const abort = new AbortController();
let running: Promise<void>;

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
  running = endpointSliceController(cp.controllerContext()).run(abort.signal);
});

after(async () => {
  abort.abort();
  await running;
  await cp.stop();
});

async function makePod(ns: string, name: string, labels: Record<string, string>, ip: string, ready: boolean): Promise<Pod> {
  const pod = await cp.client.pods.create(ns, {
    metadata: { name, labels, finalizers: ['test.kubets.io/hold'] },
    spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }], nodeName: 'n1' },
  });
  return cp.client.pods.updateStatus({ ...pod, status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
}

async function slicesFor(ns: string, svc: string): Promise<EndpointSlice[]> {
  return (await cp.client.endpointslices.list(ns, { labelSelector: `kubernetes.io/service-name=${svc}` })).items;
}

const allEndpoints = (ss: EndpointSlice[]) => ss.flatMap((s) => s.endpoints ?? []);

test('slices carry labels, owner, ports and conditions; terminating pods stay as serving/terminating', async () => {
  const svc = await cp.client.services.create('default', {
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  await makePod('default', 'web-0', { app: 'web' }, '10.42.0.5', true);
  await makePod('default', 'web-1', { app: 'web' }, '10.42.0.6', false);
  const slices = await waitFor(async () => {
    const ss = await slicesFor('default', 'web');
    return allEndpoints(ss).length === 2 ? ss : undefined;
  }, 10_000, 'two endpoints');
  assert.equal(slices.length, 1);
  const s = slices[0]!;
  assert.match(s.metadata.name!, /^web-[a-z0-9]{5}$/);
  assert.equal(s.addressType, 'IPv4');
  assert.equal(s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
  assert.deepEqual(s.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['Service', 'web', svc.metadata.uid, true]]);
  assert.deepEqual(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  const byName = new Map(s.endpoints!.map((e) => [e.targetRef?.name, e]));
  assert.deepEqual(byName.get('web-0')?.conditions, { ready: true, serving: true, terminating: false });
  assert.deepEqual(byName.get('web-1')?.conditions, { ready: false, serving: false, terminating: false });
  assert.equal(byName.get('web-0')?.nodeName, 'n1');

  await cp.client.pods.delete('default', 'web-0');
  await waitFor(async () => {
    const e = allEndpoints(await slicesFor('default', 'web')).find((x) => x.targetRef?.name === 'web-0');
    return e?.conditions?.terminating === true && e.conditions.serving === true && e.conditions.ready === false;
  }, 10_000, 'web-0 terminating');
});

test('150 pods are spread over two slices of at most 100; ExternalName services get none', async () => {
  await cp.client.namespaces.create(undefined, { metadata: { name: 'big' } });
  await cp.client.services.create('big', { metadata: { name: 'many' }, spec: { selector: { app: 'many' }, ports: [{ port: 80 }] } });
  for (let i = 0; i < 150; i++) await makePod('big', `m-${i}`, { app: 'many' }, `10.42.${Math.floor(i / 100) + 10}.${i % 100}`, true);
  const slices = await waitFor(async () => {
    const ss = await slicesFor('big', 'many');
    return allEndpoints(ss).length === 150 ? ss : undefined;
  }, 20_000, '150 endpoints');
  assert.ok(slices.every((s) => (s.endpoints ?? []).length <= 100));
  assert.equal(slices.length, 2);
  const ips = allEndpoints(slices).map((e) => e.addresses[0]);
  assert.equal(new Set(ips).size, 150);

  await cp.client.services.create('big', { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
  await cp.client.services.create('big', { metadata: { name: 'probe' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } });
  // The placeholder slice of an empty service shows the controller got that far.
  const placeholder = await waitFor(async () => (await slicesFor('big', 'probe'))[0], 10_000, 'probe placeholder');
  assert.equal((placeholder.endpoints ?? []).length, 0);
  assert.deepEqual(await slicesFor('big', 'ext'), []);
});
