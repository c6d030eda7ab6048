// The namespace controller (and the namespaces/finalize subresource) against an in-process API server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isNotFound } from '../../client/errors.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { runKubectl } from '../../testing/server-process.js';
import { namespaceControllerWith, type Namespace } from './controller.js';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

describe('namespace controller', () => {
  let cp: TestControlPlane;
  const abort = new AbortController();
  let running: Promise<void> | undefined;
  before(async () => {
    cp = await startTestControlPlane({ datastore: 'memory' });
  });
  after(async () => {
    abort.abort();
    await running;
    await cp.stop();
  });
  const start = () => {
    running ??= namespaceControllerWith({ remainingRequeueMs: 200 })(cp.controllerContext()).run(abort.signal);
  };
  const nsGone = async (name: string) => cp.client.namespaces.get(undefined, name).then(() => false, (err: unknown) => isNotFound(err));

  it('finalize changes spec.finalizers only; a terminating namespace waits for them', async () => {
    // Before the controller runs: the server alone.
    await cp.client.namespaces.create(undefined, { metadata: { name: 'fin' } });
    const put = (finalizers: string[]) => cp.client.api.request<Namespace>({ method: 'PUT', path: '/api/v1/namespaces/fin/finalize', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fin' }, spec: { finalizers } } });
    assert.deepEqual((await put(['kubernetes', 'example.com/x'])).spec?.finalizers, ['kubernetes', 'example.com/x']);
    await cp.client.namespaces.delete(undefined, 'fin');
    const terminating = (await cp.client.namespaces.get(undefined, 'fin')) as Namespace;
    assert.equal(terminating.status?.phase, 'Terminating');
    // A status write does not delete it while spec.finalizers remain.
    await cp.client.namespaces.updateStatus({ ...terminating, status: { phase: 'Terminating', conditions: [] } });
    assert.ok(!(await nsGone('fin')));
    await put(['example.com/x']);
    assert.ok(!(await nsGone('fin')));
    await put([]);
    assert.ok(await nsGone('fin'));
  });

  it('deletes all content, then the namespace', async () => {
    start();
    await cp.client.namespaces.create(undefined, { metadata: { name: 'full' } });
    await cp.client.configmaps.create('full', { metadata: { name: 'a' }, data: {} });
    await cp.client.secrets.create('full', { metadata: { name: 's' }, type: 'Opaque' });
    await cp.client.pods.create('full', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await cp.client.deployments.create('full', {
      metadata: { name: 'd' },
      spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    await cp.client.namespaces.delete(undefined, 'full');
    await waitFor(() => nsGone('full'), 15_000, 'namespace deleted');
    // Recreated with the same name: nothing of the old content is left.
    await cp.client.namespaces.create(undefined, { metadata: { name: 'full' } });
    assert.equal((await cp.client.configmaps.list('full')).items.length, 0);
    assert.equal((await cp.client.pods.list('full')).items.length, 0);
    assert.equal((await cp.client.deployments.list('full')).items.length, 0);
  });

  it('waits for content held by finalizers and says so in its conditions', async () => {
    start();
    await cp.client.namespaces.create(undefined, { metadata: { name: 'held' } });
    await cp.client.configmaps.create('held', { metadata: { name: 'keep', finalizers: ['example.com/hold'] }, data: {} });
    await cp.client.namespaces.delete(undefined, 'held');
    const ns = await waitFor(async () => {
      const cur = (await cp.client.namespaces.get(undefined, 'held')) as Namespace;
      return cur.status?.conditions?.find((c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True') ? cur : undefined;
    }, 10_000, 'finalizers-remaining condition');
    const byType = Object.fromEntries(ns.status!.conditions!.map((c) => [c.type, c]));
    assert.equal(byType.NamespaceContentRemaining?.message, 'Some resources are remaining: configmaps. has 1 resource instances');
    assert.equal(byType.NamespaceFinalizersRemaining?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    assert.equal(byType.NamespaceDeletionDiscoveryFailure?.status, 'False');
    await cp.client.configmaps.patch('held', 'keep', { metadata: { finalizers: null } }, 'merge');
    await waitFor(() => nsGone('held'), 10_000, 'namespace deleted after the finalizer went');
  });

  it('kubectl delete namespace returns once it is gone', async () => {
    start();
    await cp.client.namespaces.create(undefined, { metadata: { name: 'kc' } });
    await cp.client.configmaps.create('kc', { metadata: { name: 'a' }, data: {} });
    const { code, stdout, stderr } = await runKubectl(KUBECTL, ['--kubeconfig', cp.server.kubeconfigPath, 'delete', 'namespace', 'kc', '--timeout=20s'], { timeoutMs: 30_000 });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /namespace "kc" deleted/);
    assert.ok(await nsGone('kc'));
  });
});
