// The API server's local-path class and DefaultStorageClass admission, the
// provisioner binding a claim to a new hostPath PV and cleaning up after it,
// and the root CA publisher with service-account admission for pods.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeObject } from '../../api/meta.js';
import { isNotFound } from '../../client/errors.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { rootCaCertPublisher } from '../rootcacert/index.js';
import { localPathController } from './index.js';

let cp: TestControlPlane;
let storageDir: string;
const stop = new AbortController();

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
  storageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-localpath-'));
  const ctx = cp.controllerContext({ localPathStorageDir: storageDir, localPathDeleteDirs: true });
  void localPathController(ctx).run(stop.signal);
  void rootCaCertPublisher(cp.controllerContext()).run(stop.signal);
});

after(async () => {
  stop.abort();
  await cp.stop();
  await fs.rm(storageDir, { recursive: true, force: true });
});

type Pvc = KubeObject & { spec: { storageClassName?: string; volumeName?: string }; status?: { phase?: string; capacity?: Record<string, string> } };
type Pv = KubeObject & { spec: { hostPath?: { path: string }; capacity?: Record<string, string>; claimRef?: { name?: string; uid?: string }; persistentVolumeReclaimPolicy?: string }; status?: { phase?: string } };

test('local-path class exists and is default; a claim without a class gets it, a PV, and both bind; delete cleans up', async () => {
  const sc = await cp.client.resource({ group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', kind: 'StorageClass', namespaced: false }).get(undefined, 'local-path') as KubeObject & { provisioner?: string; reclaimPolicy?: string; volumeBindingMode?: string };
  assert.equal(sc.provisioner, 'kubets.io/local-path');
  assert.equal(sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
  assert.equal(sc.reclaimPolicy, 'Delete');
  assert.equal(sc.volumeBindingMode, 'Immediate');

  const created = await cp.client.persistentvolumeclaims.create('default', { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as KubeObject) as Pvc;
  assert.equal(created.spec.storageClassName, 'local-path', 'DefaultStorageClass admission');
  const explicitEmpty = await cp.client.persistentvolumeclaims.create('default', { metadata: { name: 'static' }, spec: { storageClassName: '', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as KubeObject) as Pvc;
  assert.equal(explicitEmpty.spec.storageClassName, '');

  const bound = await waitFor(async () => {
    const c = await cp.client.persistentvolumeclaims.get('default', 'data') as Pvc;
    return c.status?.phase === 'Bound' ? c : undefined;
  }, { what: 'claim bound' });
  const pvName = `pvc-${created.metadata.uid}`;
  assert.equal(bound.spec.volumeName, pvName);
  assert.deepEqual(bound.status?.capacity, { storage: '1Gi' });
  const pv = await waitFor(async () => {
    const v = await cp.client.persistentvolumes.get(undefined, pvName) as Pv;
    return v.status?.phase === 'Bound' ? v : undefined;
  }, { what: 'volume bound' });
  assert.equal(pv.spec.hostPath?.path, path.join(storageDir, `pvc-${created.metadata.uid}_default_data`));
  assert.deepEqual(pv.spec.capacity, { storage: '1Gi' });
  assert.equal(pv.spec.claimRef?.uid, created.metadata.uid);
  assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Delete');

  // The kubelet creates the directory when a pod uses it; stand in for it, then delete the claim.
  await fs.mkdir(pv.spec.hostPath!.path, { recursive: true });
  await fs.writeFile(path.join(pv.spec.hostPath!.path, 'f'), 'x');
  await cp.client.persistentvolumeclaims.delete('default', 'data');
  await waitFor(async () => {
    try {
      await cp.client.persistentvolumes.get(undefined, pvName);
      return false;
    } catch (err) {
      return isNotFound(err);
    }
  }, { what: 'volume deleted' });
  await assert.rejects(fs.stat(pv.spec.hostPath!.path));
  // A claim of no provisioner class stays Pending.
  assert.equal(((await cp.client.persistentvolumeclaims.get('default', 'static')) as Pvc).status?.phase, 'Pending');
});

test('kube-root-ca.crt in every namespace (restored when deleted); pods get the kube-api-access volume', async () => {
  await cp.client.namespaces.create(undefined, { metadata: { name: 'team-a' } });
  const ca = await waitFor(async () => (await cp.client.configmaps.get('team-a', 'kube-root-ca.crt').catch(() => undefined)) as (KubeObject & { data?: Record<string, string> }) | undefined, { what: 'root CA configmap' });
  assert.match(ca.data?.['ca.crt'] ?? '', /BEGIN CERTIFICATE/);
  await waitFor(async () => (await cp.client.configmaps.get('default', 'kube-root-ca.crt').catch(() => undefined)) !== undefined, { what: 'in default too' });
  await cp.client.configmaps.delete('team-a', 'kube-root-ca.crt');
  await waitFor(async () => {
    const c = (await cp.client.configmaps.get('team-a', 'kube-root-ca.crt').catch(() => undefined)) as KubeObject | undefined;
    return c && c.metadata.uid !== ca.metadata.uid;
  }, { what: 'restored' });

  const pod = await cp.client.pods.create('team-a', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  const spec = pod.spec as { serviceAccountName?: string; volumes?: { name: string; projected?: unknown }[]; containers: { volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[] }[] };
  assert.equal(spec.serviceAccountName, 'default');
  const vol = spec.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
  assert.ok(vol?.projected, 'projected volume added');
  assert.deepEqual(spec.containers[0]!.volumeMounts, [{ name: vol!.name, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }]);

  const off = await cp.client.pods.create('team-a', { metadata: { name: 'q' }, spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'busybox' }] } });
  assert.equal((off.spec as { volumes?: unknown[] }).volumes, undefined);
  await cp.client.serviceaccounts.create('team-a', { metadata: { name: 'quiet' }, automountServiceAccountToken: false } as KubeObject);
  const viaSa = await waitFor(async () => {
    const p = await cp.client.pods.create('team-a', { metadata: { generateName: 'r-' }, spec: { serviceAccountName: 'quiet', containers: [{ name: 'c', image: 'busybox' }] } });
    return (p.spec as { volumes?: unknown[] }).volumes === undefined ? p : undefined;
  }, { what: 'SA automount false honoured' });
  assert.equal((viaSa.spec as { serviceAccountName?: string }).serviceAccountName, 'quiet');
});
