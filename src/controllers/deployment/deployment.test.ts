// The Deployment controller (with the ReplicaSet controller) against an in-process API server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Pod } from '../../client/types.js';
import { autoReadyPods } from '../../testing/pod-readiness.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { runKubectl } from '../../testing/server-process.js';
import { replicaSetController } from '../replicaset/controller.js';
import { deploymentController } from './controller.js';
import type { DeploymentObject, ReplicaSetObject } from './types.js';
import { RESOURCES } from '../../client/resources.js';

const NS = 'deploy-test';
const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

function deployment(name: string, image: string, extra: Partial<DeploymentObject['spec']> = {}, labels: Record<string, string> = { app: name }): DeploymentObject {
  return {
    metadata: { name, namespace: NS },
    spec: { replicas: 3, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image }] } }, ...extra },
  };
}

describe('Deployment controller', () => {
  let cp: TestControlPlane;
  const abort = new AbortController();
  const running: Promise<void>[] = [];
  let stopReady: () => void;
  const rsClient = () => cp.client.resource<ReplicaSetObject>(RESOURCES.replicasets);
  const dClient = () => cp.client.resource<DeploymentObject>(RESOURCES.deployments);

  before(async () => {
    cp = await startTestControlPlane({ datastore: 'memory' });
    await cp.client.namespaces.create(undefined, { metadata: { name: NS } });
    const ctx = cp.controllerContext();
    // Pods labelled stuck=yes never become ready (for the progress deadline).
    stopReady = autoReadyPods(cp.client, ctx.informers, (p: Pod) => p.metadata.labels?.stuck !== 'yes');
    running.push(replicaSetController(ctx).run(abort.signal), deploymentController(ctx).run(abort.signal));
  });
  after(async () => {
    stopReady();
    abort.abort();
    await Promise.all(running);
    await cp.stop();
  });

  const replicaSetsOf = async (app: string) => (await rsClient().list(NS, { labelSelector: `app=${app}` })).items;
  const get = (name: string) => dClient().get(NS, name);
  const livePods = async (app: string) => (await cp.client.pods.list(NS, { labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);
  const rolledOut = async (name: string) => {
    const d = await get(name);
    const s = d.status ?? {};
    const want = d.spec.replicas ?? 1;
    const ok = (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
    return ok ? d : undefined;
  };

  it('creates a hashed ReplicaSet with revision annotations and reports a complete rollout', async () => {
    await dClient().create(NS, deployment('web', 'nginx:1'));
    const d = await waitFor(() => rolledOut('web'), 15_000, 'rollout');
    const [rs, ...rest] = await replicaSetsOf('web');
    assert.equal(rest.length, 0);
    const hash = rs!.spec.template.metadata!.labels!['pod-template-hash']!;
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(rs!.metadata.name, `web-${hash}`);
    assert.equal(rs!.spec.selector.matchLabels!['pod-template-hash'], hash);
    assert.deepEqual(rs!.metadata.annotations, {
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(d.status?.readyReplicas, 3);
    assert.equal(d.status?.unavailableReplicas, undefined);
    const byType = Object.fromEntries((d.status?.conditions ?? []).map((c) => [c.type, c]));
    assert.equal(byType.Available?.reason, 'MinimumReplicasAvailable');
    assert.equal(byType.Available?.status, 'True');
    assert.equal(byType.Progressing?.reason, 'NewReplicaSetAvailable');
    assert.equal(byType.Progressing?.message, `ReplicaSet "web-${hash}" has successfully progressed.`);
  });

  it('rolls out a new template within maxSurge/maxUnavailable, then rolls back reusing the old ReplicaSet', async () => {
    const before1 = await get('web');
    const rs1 = (await replicaSetsOf('web'))[0]!;
    let maxPods = 0;
    let minReady = Infinity;
    await dClient().patch(NS, 'web', {
      metadata: { annotations: { 'kubernetes.io/change-cause': 'image 2' } },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } },
    }, 'strategic');
    await waitFor(async () => {
      const pods = await livePods('web');
      maxPods = Math.max(maxPods, pods.length);
      minReady = Math.min(minReady, pods.filter((p) => p.status?.phase === 'Running').length);
      const d = await rolledOut('web');
      return d && d.metadata.generation! > before1.metadata.generation! ? d : undefined;
    }, 15_000, 'second rollout');
    // 3 replicas: surge ceil(25%) = 1, unavailable floor(25%) = 0.
    assert.ok(maxPods <= 4, `at most 4 pods at once, saw ${maxPods}`);
    assert.ok(minReady >= 2, `saw only ${minReady} running pods`); // a just-created pod may not be marked ready yet
    const rss = await replicaSetsOf('web');
    assert.equal(rss.length, 2);
    const rs2 = rss.find((r) => r.metadata.uid !== rs1.metadata.uid)!;
    assert.equal(rs2.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.equal(rs2.metadata.annotations?.['kubernetes.io/change-cause'], 'image 2');
    assert.equal(rss.find((r) => r.metadata.uid === rs1.metadata.uid)!.spec.replicas, 0);

    // kubectl rollout undo: the template goes back; the first ReplicaSet is reused as revision 3.
    await dClient().patch(NS, 'web', { spec: { template: rs1.spec.template } }, 'strategic');
    await dClient().patch(NS, 'web', { spec: { template: { metadata: { labels: { 'pod-template-hash': null } } } } }, 'strategic');
    const d = await waitFor(async () => {
      const cur = await rolledOut('web');
      const old = (await replicaSetsOf('web')).find((r) => r.metadata.uid === rs1.metadata.uid);
      return cur && old?.spec.replicas === 3 ? cur : undefined;
    }, 60_000, 'rollback');
    const after = await replicaSetsOf('web');
    assert.equal(after.length, 2, 'no third ReplicaSet');
    const reused = after.find((r) => r.metadata.uid === rs1.metadata.uid)!;
    assert.equal(reused.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(reused.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
  });

  it('Recreate scales the old ReplicaSet to zero before the new one starts', async () => {
    await dClient().create(NS, deployment('batch', 'v1', { strategy: { type: 'Recreate' }, revisionHistoryLimit: 1 }));
    await waitFor(() => rolledOut('batch'), 15_000, 'first rollout');
    let overlap = false;
    await dClient().patch(NS, 'batch', { spec: { template: { spec: { containers: [{ name: 'c', image: 'v2' }] } } } }, 'strategic');
    await waitFor(async () => {
      const images = new Set((await livePods('batch')).map((p) => p.spec?.containers[0]?.image));
      if (images.size > 1) overlap = true;
      const d = await rolledOut('batch');
      return d && d.metadata.generation! > 1 ? d : undefined;
    }, 15_000, 'recreate rollout');
    assert.ok(!overlap, 'old and new pods never run together');
    // A third template: with revisionHistoryLimit 1, the oldest ReplicaSet is deleted.
    await dClient().patch(NS, 'batch', { spec: { template: { spec: { containers: [{ name: 'c', image: 'v3' }] } } } }, 'strategic');
    await waitFor(async () => (await rolledOut('batch')) && (await replicaSetsOf('batch')).length === 2, 15_000, 'history cleanup');
    const revisions = (await replicaSetsOf('batch')).map((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision']).sort();
    assert.deepEqual(revisions, ['2', '3']);
  });

  it('reports ProgressDeadlineExceeded when pods never become ready', async () => {
    await dClient().create(NS, deployment('stuck', 'x', { replicas: 1, progressDeadlineSeconds: 1 }, { app: 'stuck', stuck: 'yes' }));
    const d = await waitFor(async () => {
      const cur = await get('stuck');
      return cur.status?.conditions?.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded') ? cur : undefined;
    }, 15_000, 'deadline exceeded');
    const progressing = d.status!.conditions!.find((c) => c.type === 'Progressing')!;
    assert.equal(progressing.status, 'False');
    assert.match(progressing.message!, /^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/);
    assert.equal(d.status?.unavailableReplicas, 1);
    assert.equal(d.status!.conditions!.find((c) => c.type === 'Available')?.status, 'False');
  });

  it('scales through the scale subresource and cascades status', async () => {
    await dClient().create(NS, deployment('sc', 'x', { replicas: 2 }));
    await waitFor(() => rolledOut('sc'), 15_000, 'first rollout');
    await dClient().patch(NS, 'sc', { spec: { replicas: 5 } }, 'merge', { subresource: 'scale' });
    const d = await waitFor(async () => {
      const cur = await rolledOut('sc');
      return cur?.spec.replicas === 5 ? cur : undefined;
    }, 15_000, 'scale to 5');
    assert.equal(d.status?.readyReplicas, 5);
    assert.equal((await livePods('sc')).length, 5);
    assert.equal((await replicaSetsOf('sc'))[0]?.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '5');
  });
});

describe('Deployment controller driven by kubectl', () => {
  let cp: TestControlPlane;
  const abort = new AbortController();
  const running: Promise<void>[] = [];
  let stopReady: () => void;
  const kubectl = async (...args: string[]) => {
    const r = await runKubectl(KUBECTL, ['--kubeconfig', cp.server.kubeconfigPath, '-n', NS, ...args], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    cp = await startTestControlPlane({ datastore: 'memory' });
    await cp.client.namespaces.create(undefined, { metadata: { name: NS } });
    const ctx = cp.controllerContext();
    stopReady = autoReadyPods(cp.client, ctx.informers);
    running.push(replicaSetController(ctx).run(abort.signal), deploymentController(ctx).run(abort.signal));
  });
  after(async () => {
    stopReady();
    abort.abort();
    await Promise.all(running);
    await cp.stop();
  });

  it('rollout status, history, undo, pause, resume, restart and scale', async () => {
    await kubectl('create', 'deployment', 'app', '--image=nginx:1', '--replicas=2');
    assert.match(await kubectl('rollout', 'status', 'deployment/app', '--timeout=20s'), /deployment "app" successfully rolled out/);
    await kubectl('set', 'image', 'deployment/app', 'nginx=nginx:2');
    await kubectl('annotate', 'deployment/app', 'kubernetes.io/change-cause=to v2');
    assert.match(await kubectl('rollout', 'status', 'deployment/app', '--timeout=20s'), /successfully rolled out/);
    const history = await kubectl('rollout', 'history', 'deployment/app');
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+to v2\n/);

    assert.match(await kubectl('rollout', 'undo', 'deployment/app'), /rolled back/);
    assert.match(await kubectl('rollout', 'status', 'deployment/app', '--timeout=20s'), /successfully rolled out/);
    const image = await kubectl('get', 'deployment/app', '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
    assert.equal(image, 'nginx:1');
    assert.match(await kubectl('rollout', 'history', 'deployment/app'), /\n2\s+to v2\n3\s+/);
    assert.equal((await kubectl('get', 'rs', '-o', 'name')).trim().split('\n').length, 2);

    await kubectl('rollout', 'pause', 'deployment/app');
    await kubectl('set', 'image', 'deployment/app', 'nginx=nginx:3');
    await waitFor(async () => (await kubectl('get', 'deployment/app', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}')) === 'DeploymentPaused', 10_000, 'paused condition');
    assert.equal((await kubectl('get', 'rs', '-o', 'name')).trim().split('\n').length, 2, 'no rollout while paused');
    await kubectl('rollout', 'resume', 'deployment/app');
    assert.match(await kubectl('rollout', 'status', 'deployment/app', '--timeout=20s'), /successfully rolled out/);
    assert.equal((await kubectl('get', 'rs', '-o', 'name')).trim().split('\n').length, 3);

    await kubectl('rollout', 'restart', 'deployment/app');
    assert.match(await kubectl('rollout', 'status', 'deployment/app', '--timeout=20s'), /successfully rolled out/);
    assert.equal((await kubectl('get', 'rs', '-o', 'name')).trim().split('\n').length, 4);

    await kubectl('scale', 'deployment/app', '--replicas=5');
    assert.match(await kubectl('rollout', 'status', 'deployment/app', '--timeout=20s'), /successfully rolled out/);
    const row = (await kubectl('get', 'deployment', 'app', '--no-headers')).trim();
    assert.match(row, /^app\s+5\/5\s+5\s+5\s+/);
  });
});
