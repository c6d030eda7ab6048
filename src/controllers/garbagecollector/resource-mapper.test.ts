import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiStatusError } from '../../client/errors.js';
import type { ApiClient, RequestOptions } from '../../client/transport.js';
import { ResourceMapper, UnknownKindError } from './resource-mapper.js';

/** An ApiClient stand-in answering discovery requests from a table. */
function fakeApi(docs: Record<string, unknown>): { api: ApiClient; calls: string[] } {
  const calls: string[] = [];
  const api = {
    request: async (o: RequestOptions) => {
      calls.push(o.path);
      if (o.path in docs) return docs[o.path];
      throw new ApiStatusError(404, 'NotFound', 'the server could not find the requested resource');
    },
  } as unknown as ApiClient;
  return { api, calls };
}

describe('ResourceMapper', () => {
  it('knows the built-ins without asking, in any version of their group', async () => {
    const { api, calls } = fakeApi({});
    const m = new ResourceMapper(api);
    assert.equal((await m.resolve('apps/v1', 'ReplicaSet')).resource, 'replicasets');
    assert.equal((await m.resolve('apps/v1beta2', 'Deployment')).resource, 'deployments');
    assert.equal((await m.resolve('v1', 'Pod')).namespaced, true);
    assert.deepEqual(calls, []);
  });
  it('discovers custom resources once, and refuses kinds it cannot find', async () => {
    const { api, calls } = fakeApi({
      '/apis/example.com/v1': { resources: [{ name: 'widgets', kind: 'Widget', namespaced: true }, { name: 'widgets/status', kind: 'Widget', namespaced: true }] },
    });
    const m = new ResourceMapper(api);
    assert.deepEqual(await m.resolve('example.com/v1', 'Widget'), { group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', namespaced: true });
    await m.resolve('example.com/v1', 'Widget');
    assert.equal(calls.length, 1);
    await assert.rejects(m.resolve('example.com/v1', 'Gadget'), UnknownKindError);
    await assert.rejects(m.resolve('other.io/v9', 'Thing'), UnknownKindError);
  });
});
