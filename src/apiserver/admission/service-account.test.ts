import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addApiAccessVolume, apiAccessVolume, SERVICE_ACCOUNT_MOUNT_PATH } from './service-account.js';
import { pickDefaultClass } from './default-storage-class.js';

test('kube-api-access volume: projected token + CA + namespace, mounted read-only in every container', () => {
  const spec = { containers: [{ name: 'a' }, { name: 'b', volumeMounts: [{ name: 'x', mountPath: '/x' }] }], initContainers: [{ name: 'i' }], volumes: [{ name: 'x' }] };
  addApiAccessVolume(spec, () => 0);
  assert.equal(spec.volumes.length, 2);
  const vol = spec.volumes[1]!;
  assert.equal(vol.name, 'kube-api-access-bbbbb');
  assert.deepEqual(vol, apiAccessVolume('kube-api-access-bbbbb'));
  const mount = { name: 'kube-api-access-bbbbb', readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH };
  assert.deepEqual((spec.containers[0] as { volumeMounts?: unknown[] }).volumeMounts, [mount]);
  assert.deepEqual(spec.containers[1]!.volumeMounts, [{ name: 'x', mountPath: '/x' }, mount]);
  assert.deepEqual((spec.initContainers[0] as { volumeMounts?: unknown[] }).volumeMounts, [mount]);
});

test('a container that already mounts the path keeps its own', () => {
  const own = { name: 'mine', mountPath: SERVICE_ACCOUNT_MOUNT_PATH };
  const spec = { containers: [{ name: 'a', volumeMounts: [own] }] };
  addApiAccessVolume(spec);
  assert.deepEqual(spec, { containers: [{ name: 'a', volumeMounts: [own] }] });
});

test('default storage class: the newest annotated class', () => {
  const sc = (name: string, ts: string, def?: string) => ({ metadata: { name, creationTimestamp: ts, annotations: (def ? { 'storageclass.kubernetes.io/is-default-class': def } : {}) as Record<string, string> } });
  assert.equal(pickDefaultClass([sc('a', '2024-01-01T00:00:00Z', 'true'), sc('b', '2025-01-01T00:00:00Z', 'true'), sc('c', '2026-01-01T00:00:00Z', 'false')])?.metadata.name, 'b');
  assert.equal(pickDefaultClass([sc('c', '2026-01-01T00:00:00Z')]), undefined);
});
