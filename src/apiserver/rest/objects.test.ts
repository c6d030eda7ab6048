// updateObject starts from the watch cache's copy; these tests hand it a stale
// copy on purpose and check that no answer rests on it.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { openMemoryStorage } from '../../storage/memory.js';
import type { Storage } from '../../storage/interface.js';
import { silentLogger } from '../../util/log.js';
import { Core } from '../core.js';
import { BUILTIN_RESOURCES } from '../registry/builtin.js';
import { Registry } from '../registry/registry.js';
import { tableConvertor } from '../tables.js';
import { objectValidator } from '../validation.js';
import { ApiError } from '../status.js';
import { createObject, updateObject } from './objects.js';

class StaleCacheCore extends Core {
  stale: KubeObject | undefined;
  cacheReads = 0;
  override cachedObject(): KubeObject | undefined {
    this.cacheReads++;
    return this.stale;
  }
}

let store: Storage;
let core: StaleCacheCore;
const user = { username: 'test', groups: ['system:masters'] };
const configmaps = () => core.registry.resolve('', 'v1', 'configmaps')!.info;
const cm = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data }) as KubeObject;
const setData = (data: Record<string, string>) => ({ mutate: (cur: KubeObject | null) => ({ ...cur!, data }) as KubeObject });

beforeEach(async () => {
  store = openMemoryStorage();
  core = new StaleCacheCore({ store, registry: new Registry(BUILTIN_RESOURCES), validator: objectValidator, tables: tableConvertor, logger: silentLogger });
  const v1 = await createObject(core, configmaps(), cm({ v: '1' }), { user });
  core.stale = structuredClone(v1);
  await updateObject(core, configmaps(), 'default', 'c', setData({ v: '2' }), { user });
  core.stale = structuredClone(v1); // the cache has not seen v2 yet
});

afterEach(async () => {
  await store.close();
});

test('an update from a stale cached copy is retried against the store and lands on the newest version', async () => {
  const before = core.cacheReads;
  const { object } = await updateObject(core, configmaps(), 'default', 'c', setData({ v: '3' }), { user });
  assert.equal(core.cacheReads, before + 1, 'only the first attempt reads the cache');
  assert.deepEqual(object.data, { v: '3' });
  const stored = JSON.parse((await store.get('/core/configmaps/default/c')).value.toString()) as KubeObject;
  assert.deepEqual(stored.data, { v: '3' });
});

test('a resourceVersion precondition is checked against the store, not a stale cached copy', async () => {
  const rv = String((await store.get('/core/configmaps/default/c')).modRevision);
  const { object } = await updateObject(core, configmaps(), 'default', 'c', { mutate: (cur) => ({ ...cur!, metadata: { ...cur!.metadata, resourceVersion: rv }, data: { v: '3' } }) as KubeObject }, { user });
  assert.deepEqual(object.data, { v: '3' });
  // An old resourceVersion is still a 409.
  await assert.rejects(
    updateObject(core, configmaps(), 'default', 'c', { mutate: (cur) => ({ ...cur!, metadata: { ...cur!.metadata, resourceVersion: rv }, data: { v: '4' } }) as KubeObject }, { user }),
    (err: unknown) => err instanceof ApiError && err.code === 409,
  );
});

test('an update that looks like a no-op against a stale cached copy is decided by the store', async () => {
  // Setting v=1 changes nothing in the stale copy, but the store holds v=2: it must be written.
  const { object } = await updateObject(core, configmaps(), 'default', 'c', setData({ v: '1' }), { user });
  assert.deepEqual(object.data, { v: '1' });
  const stored = await store.get('/core/configmaps/default/c');
  assert.deepEqual((JSON.parse(stored.value.toString()) as KubeObject).data, { v: '1' });
  assert.equal(object.metadata.resourceVersion, String(stored.modRevision));
});
