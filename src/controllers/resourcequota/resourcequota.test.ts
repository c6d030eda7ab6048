import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { RESOURCES } from '../../client/resources.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { resourceQuotaController } from './index.js';

let cp: TestControlPlane;
const abort = new AbortController();
let running: Promise<void>;

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
  running = resourceQuotaController(cp.controllerContext()).run(abort.signal);
});

after(async () => {
  abort.abort();
  await running;
  await cp.stop();
});

const quotas = () => cp.client.resource(RESOURCES.resourcequotas);
const used = async () => ((await quotas().get('default', 'q')).status as { used?: Record<string, string> } | undefined)?.used;
const same = (want: Record<string, string>) => async () => {
  const u = await used();
  return JSON.stringify(u) === JSON.stringify(want) ? u : undefined;
};

test('status.hard and status.used follow pods, configmaps and deployments', async () => {
  await cp.client.configmaps.create('default', { metadata: { name: 'cm1' }, data: {} } as KubeObject);
  await quotas().create('default', {
    metadata: { name: 'q' },
    spec: { hard: { pods: '10', 'requests.cpu': '2', 'limits.memory': '1Gi', 'count/configmaps': '5', 'count/deployments.apps': '2' } },
  } as KubeObject);
  const base = { pods: '0', 'requests.cpu': '0', 'limits.memory': '0', 'count/configmaps': '1', 'count/deployments.apps': '0' };
  // The API server may create default objects (e.g. kube-root-ca.crt): read the real count first.
  const initial = await waitFor(used, 10_000, 'initial usage');
  assert.deepEqual(Object.keys(initial).sort(), Object.keys(base).sort());
  const cms = Number(initial['count/configmaps']);
  assert.ok(cms >= 1);
  const q = await quotas().get('default', 'q');
  assert.deepEqual((q.status as { hard?: unknown }).hard, q.spec && (q.spec as { hard?: unknown }).hard);

  await cp.client.pods.create('default', {
    metadata: { name: 'p1' },
    spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '500m' }, limits: { cpu: '1', memory: '256Mi' } } }] },
  });
  await cp.client.deployments.create('default', {
    metadata: { name: 'd' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  await waitFor(same({ ...base, pods: '1', 'requests.cpu': '500m', 'limits.memory': '256Mi', 'count/configmaps': String(cms), 'count/deployments.apps': '1' }), 10_000, 'usage after creates');

  // A pod that finished no longer counts.
  const p1 = await cp.client.pods.get('default', 'p1');
  await cp.client.pods.updateStatus({ ...p1, status: { phase: 'Succeeded' } });
  await cp.client.configmaps.delete('default', 'cm1');
  await waitFor(same({ ...base, 'count/configmaps': String(cms - 1), 'count/deployments.apps': '1' }), 10_000, 'usage after finish and delete');
});
