import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import type { Pod } from '../../client/types.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { endpointsController } from './index.js';
import type { EndpointSubset } from './subsets.js';

interface Endpoints extends KubeObject {
  subsets?: EndpointSubset[];
}

let cp: TestControlPlane;
const abort = new AbortController();
let running: Promise<void>;

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
  running = endpointsController(cp.controllerContext()).run(abort.signal);
});

after(async () => {
  abort.abort();
  await running;
  await cp.stop();
});

async function makePod(name: string, labels: Record<string, string>, ip: string, ready: boolean, extra: { hostname?: string; subdomain?: string } = {}): Promise<Pod> {
  const pod = await cp.client.pods.create('default', {
    metadata: { name, labels },
    spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }], nodeName: 'n1', ...extra },
  });
  return cp.client.pods.updateStatus({
    ...pod,
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
}

const getEndpoints = (name: string) => cp.client.endpoints.get('default', name) as Promise<Endpoints>;

test('ready and not-ready pods, named target port, hostname and subdomain', async () => {
  await cp.client.services.create('default', {
    metadata: { name: 'web', labels: { team: 'a' } },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  await makePod('web-0', { app: 'web' }, '10.42.0.5', true, { hostname: 'web-0', subdomain: 'web' });
  await makePod('web-1', { app: 'web' }, '10.42.0.6', false);
  await makePod('other', { app: 'other' }, '10.42.0.7', true);
  const ep = await waitFor(async () => {
    const e = await getEndpoints('web');
    return e.subsets?.[0]?.addresses?.length === 1 && e.subsets[0].notReadyAddresses?.length === 1 ? e : undefined;
  }, 10_000, 'endpoints web');
  assert.equal(ep.metadata.labels?.team, 'a');
  assert.equal(ep.metadata.labels?.['endpointslice.kubernetes.io/skip-mirror'], undefined);
  const s = ep.subsets![0]!;
  assert.deepEqual(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.equal(s.addresses![0]!.ip, '10.42.0.5');
  assert.equal(s.addresses![0]!.hostname, 'web-0');
  assert.equal(s.addresses![0]!.nodeName, 'n1');
  assert.equal(s.addresses![0]!.targetRef?.name, 'web-0');
  assert.equal(s.notReadyAddresses![0]!.ip, '10.42.0.6');
});

test('publishNotReadyAddresses lists every pod as ready; deleting the service removes its endpoints', async () => {
  await cp.client.services.create('default', {
    metadata: { name: 'peers' },
    spec: { selector: { app: 'db' }, publishNotReadyAddresses: true, clusterIP: 'None', ports: [{ port: 5432 }] },
  });
  await makePod('db-0', { app: 'db' }, '10.42.1.5', false);
  const ep = await waitFor(async () => {
    const e = await getEndpoints('peers');
    return e.subsets?.[0]?.addresses?.length === 1 ? e : undefined;
  }, 10_000, 'endpoints peers');
  assert.equal(ep.subsets![0]!.notReadyAddresses, undefined);
  assert.equal(ep.metadata.labels?.['service.kubernetes.io/headless'], '');
  await cp.client.services.delete('default', 'peers');
  await waitFor(async () => {
    try {
      await getEndpoints('peers');
      return false;
    } catch {
      return true;
    }
  }, 10_000, 'endpoints peers gone');
});

test('services without a selector are left alone', async () => {
  await cp.client.services.create('default', { metadata: { name: 'manual' }, spec: { ports: [{ port: 80 }] } });
  await cp.client.endpoints.create('default', { metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }] }] } as KubeObject);
  // A selector service created after it proves the controller has caught up.
  await cp.client.services.create('default', { metadata: { name: 'probe' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } });
  await waitFor(() => getEndpoints('probe'), 10_000, 'endpoints probe');
  const manual = await getEndpoints('manual');
  assert.equal(manual.subsets?.[0]?.addresses?.[0]?.ip, '192.0.2.1');
});
