import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { ApiStatusError } from '../../client/errors.js';
import { RESOURCES } from '../../client/resources.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';

let cp: TestControlPlane;

before(async () => {
  // The server runs quota admission itself.
  cp = await startTestControlPlane({ datastore: 'memory' });
});

after(() => cp.stop());

const pod = (name: string, cpu?: string) => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'x', ...(cpu ? { resources: { requests: { cpu }, limits: { cpu } } } : {}) }] },
});

async function refused(p: Promise<unknown>): Promise<ApiStatusError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiStatusError);
    return err;
  }
  assert.fail('the create was admitted');
}

test('creates past a quota are refused with upstream wording; admitted ones are charged at once', async () => {
  await cp.client.namespaces.create(undefined, { metadata: { name: 'q' } });
  await cp.client.resource(RESOURCES.resourcequotas).create('q', { metadata: { name: 'compute' }, spec: { hard: { pods: '2', 'requests.cpu': '1' } } } as KubeObject);
  await cp.client.pods.create('q', pod('a', '400m'));
  const quota = await cp.client.resource(RESOURCES.resourcequotas).get('q', 'compute');
  assert.deepEqual((quota.status as { used?: unknown }).used, { pods: '1', 'requests.cpu': '400m' });

  const noCpu = await refused(cp.client.pods.create('q', pod('b')));
  assert.equal(noCpu.code, 403);
  assert.equal(noCpu.message, 'pods "b" is forbidden: failed quota: compute: must specify requests.cpu for: c');

  const tooMuch = await refused(cp.client.pods.create('q', pod('c', '700m')));
  assert.equal(tooMuch.message, 'pods "c" is forbidden: exceeded quota: compute, requested: requests.cpu=700m, used: requests.cpu=400m, limited: requests.cpu=1');

  await cp.client.pods.create('q', pod('d', '600m'));
  const third = await refused(cp.client.pods.create('q', pod('e', '1m')));
  assert.match(third.message, /exceeded quota: compute, requested: pods=1,requests.cpu=1m, used: pods=2,requests.cpu=1, limited: pods=2,requests.cpu=1$/);

  // Other namespaces and kinds the quota does not count are unaffected.
  await cp.client.pods.create('default', pod('free'));
  await cp.client.configmaps.create('q', { metadata: { name: 'cm' } } as KubeObject);
});
