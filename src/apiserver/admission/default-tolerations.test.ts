import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from '../registry/resource-info.js';
import type { UserInfo } from '../auth/types.js';
import { defaultTolerationSeconds } from './default-tolerations.js';

const PODS = { group: '', resource: 'pods' } as ResourceInfo;
const USER = { username: 'u', groups: [] } as unknown as UserInfo;
const pod = (tolerations?: unknown[]): KubeObject => ({ metadata: { name: 'p' }, spec: { containers: [], ...(tolerations ? { tolerations } : {}) } });
const tolerationsOf = (p: KubeObject) => (p.spec as { tolerations?: unknown[] }).tolerations;

test('adds both NoExecute tolerations with the configured seconds on create', async () => {
  const p = pod();
  await defaultTolerationSeconds(300, 120)('CREATE', PODS, p, undefined, USER);
  assert.deepEqual(tolerationsOf(p), [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 120 },
  ]);
});

test('keeps existing tolerations that already cover the taints; ignores updates and other resources', async () => {
  const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 };
  const p = pod([own]);
  await defaultTolerationSeconds(30)('CREATE', PODS, p, undefined, USER);
  assert.deepEqual(tolerationsOf(p), [own, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]);
  const all = pod([{ operator: 'Exists' }]);
  await defaultTolerationSeconds()('CREATE', PODS, all, undefined, USER);
  assert.deepEqual(tolerationsOf(all), [{ operator: 'Exists' }]);
  const upd = pod();
  await defaultTolerationSeconds()('UPDATE', PODS, upd, pod(), USER);
  assert.equal(tolerationsOf(upd), undefined);
  const cm: KubeObject = { metadata: { name: 'c' }, spec: {} };
  await defaultTolerationSeconds()('CREATE', { group: '', resource: 'configmaps' } as ResourceInfo, cm, undefined, USER);
  assert.deepEqual(cm.spec, {});
});
