// The API server driven by @kubernetes/client-node: CRUD, a patch, and an
// informer that sees add, update and delete.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startServerProcess, type ServerProcess } from '../../testing/server-process.js';

describe('@kubernetes/client-node against kubets server', () => {
  let server: ServerProcess;
  let kc: k8s.KubeConfig;
  before(async () => {
    server = await startServerProcess();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  it('creates, reads, patches, lists and deletes', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'cn' } } });
    const created = await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'c1', labels: { app: 'x' } }, data: { a: '1' } } });
    assert.ok(created.metadata?.uid);
    const read = await core.readNamespacedConfigMap({ name: 'c1', namespace: 'cn' });
    assert.deepEqual(read.data, { a: '1' });
    const patched = await core.patchNamespacedConfigMap(
      { name: 'c1', namespace: 'cn', body: { data: { b: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(patched.data, { a: '1', b: '2' });
    const list = await core.listNamespacedConfigMap({ namespace: 'cn', labelSelector: 'app=x' });
    assert.deepEqual(list.items.map((c) => c.metadata?.name), ['c1']);
    await core.deleteNamespacedConfigMap({ name: 'c1', namespace: 'cn' });
    await assert.rejects(core.readNamespacedConfigMap({ name: 'c1', namespace: 'cn' }), (err: { code?: number }) => err.code === 404);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const dep = await apps.createNamespacedDeployment({
      namespace: 'cn',
      body: {
        metadata: { name: 'd' },
        spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
      },
    });
    assert.equal(dep.spec?.replicas, 1, 'defaults applied');
    assert.equal(dep.spec?.strategy?.type, 'RollingUpdate');
  });

  it('an informer sees add, update and delete', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'inf' } } });
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/inf/configmaps', () => core.listNamespacedConfigMap({ namespace: 'inf' }));
    const seen: string[] = [];
    let notify = () => {};
    const record = (type: string) => (obj: k8s.V1ConfigMap) => {
      // The root CA publisher puts kube-root-ca.crt in every namespace, as upstream.
      if (obj.metadata?.name === 'kube-root-ca.crt') return;
      seen.push(`${type}:${obj.metadata?.name}:${obj.data?.v ?? ''}`);
      notify();
    };
    informer.on('add', record('add'));
    informer.on('update', record('update'));
    informer.on('delete', record('delete'));
    await informer.start();
    const until = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`saw only ${JSON.stringify(seen)}`)), 10_000);
        notify = () => {
          if (seen.length >= n) {
            clearTimeout(timer);
            resolve();
          }
        };
        notify();
      });
    await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name: 'w' }, data: { v: '1' } } });
    await until(1);
    await core.replaceNamespacedConfigMap({ name: 'w', namespace: 'inf', body: { metadata: { name: 'w' }, data: { v: '2' } } });
    await until(2);
    await core.deleteNamespacedConfigMap({ name: 'w', namespace: 'inf' });
    await until(3);
    await informer.stop();
    assert.deepEqual(seen, ['add:w:1', 'update:w:2', 'delete:w:2']);
  });
});
