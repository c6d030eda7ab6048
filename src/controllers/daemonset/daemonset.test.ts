import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import type { Node, Pod } from '../../client/types.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { daemonSetController, targetNodeName } from './index.js';
import type { DaemonSet } from './types.js';

let cp: TestControlPlane;
const stop = new AbortController();
let running: Promise<void>;
const NS = 'default';

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
  for (const n of ['n1', 'n2']) await cp.client.nodes.create(undefined, { metadata: { name: n, labels: { zone: 'a' } } } as Node);
  await cp.client.nodes.create(undefined, { metadata: { name: 'tainted' }, spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } } as Node);
  await cp.client.nodes.create(undefined, { metadata: { name: 'cordoned' }, spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] } } as Node);
  running = daemonSetController(cp.controllerContext()).run(stop.signal);
});
after(async () => {
  stop.abort();
  await running;
  await cp.stop();
});

function ds(name: string, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: NS },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'agent:1' }], ...podSpec } },
      ...spec,
    },
  };
}

/** Plays the scheduler and kubelet: binds pods to their target node, makes them ready, and finishes deletions. */
async function settle(app: string): Promise<Pod[]> {
  const { items } = await cp.client.pods.list(NS, { labelSelector: `app=${app}` });
  const live: Pod[] = [];
  for (const p of items) {
    const name = p.metadata.name ?? '';
    if (p.metadata.deletionTimestamp) {
      await cp.client.pods.delete(NS, name, { gracePeriodSeconds: 0 }).catch(() => undefined);
      continue;
    }
    if (!p.spec?.nodeName) await cp.client.bind(NS, name, targetNodeName(p)!);
    if (p.status?.phase !== 'Running') {
      const fresh = await cp.client.pods.get(NS, name);
      await cp.client.pods.updateStatus({ ...fresh, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString() }] } } as Pod).catch(() => undefined);
    }
    live.push(p);
  }
  return live;
}
const nodesOf = (pods: Pod[]) => pods.map((p) => targetNodeName(p)).sort().join();
const getDs = async (name: string) => (await cp.client.daemonsets.get(NS, name)) as DaemonSet;

describe('DaemonSet controller', () => {
  it('puts one pod on every eligible node, tolerating the default taints', async () => {
    await cp.client.daemonsets.create(NS, ds('agent'));
    const pods = await waitFor(async () => {
      const { items } = await cp.client.pods.list(NS, { labelSelector: 'app=agent' });
      return items.length === 3 ? items : undefined;
    }, 10_000, 'three pods');
    assert.equal(nodesOf(pods), 'cordoned,n1,n2');
    const p = pods[0]!;
    assert.deepEqual((p.spec?.affinity as { nodeAffinity: unknown }).nodeAffinity, {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [targetNodeName(p)] }] }] },
    });
    const tolerations = (p.spec?.tolerations as { key: string; effect: string }[]).map((t) => `${t.key}:${t.effect}`);
    assert.deepEqual(tolerations, [
      'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    assert.ok(p.metadata.labels?.['controller-revision-hash']);
    await settle('agent');
    const s = await waitFor(async () => {
      const d = await getDs('agent');
      return d.status?.numberReady === 3 ? d : undefined;
    }, 10_000, 'ready status');
    assert.deepEqual(
      [s.status?.desiredNumberScheduled, s.status?.currentNumberScheduled, s.status?.numberAvailable, s.status?.updatedNumberScheduled, s.status?.numberMisscheduled, s.status?.observedGeneration],
      [3, 3, 3, 3, 0, s.metadata.generation],
    );
  });

  it('gives new nodes a pod and takes it away when the node goes', async () => {
    await cp.client.nodes.create(undefined, { metadata: { name: 'n5' } } as Node);
    await waitFor(async () => nodesOf(await settle('agent')) === 'cordoned,n1,n2,n5', 10_000, 'pod on n5');
    await cp.client.nodes.delete(undefined, 'n5');
    await waitFor(async () => nodesOf(await settle('agent')) === 'cordoned,n1,n2', 10_000, 'pod off n5');
  });

  it('follows nodeSelector and tolerations; ineligible nodes lose their pods', async () => {
    await cp.client.daemonsets.create(NS, ds('gpu', {}, { nodeSelector: { zone: 'a' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }));
    await waitFor(async () => nodesOf(await settle('gpu')) === 'n1,n2', 10_000, 'pods on zone a');
    await cp.client.nodes.patch(undefined, 'tainted', { metadata: { labels: { zone: 'a' } } }, 'merge');
    await waitFor(async () => nodesOf(await settle('gpu')) === 'n1,n2,tainted', 10_000, 'tolerated taint');
    await cp.client.nodes.patch(undefined, 'n2', { metadata: { labels: { zone: null } } }, 'merge');
    await waitFor(async () => nodesOf(await settle('gpu')) === 'n1,tainted', 10_000, 'n2 no longer selected');
  });

  it('rolls out a new template without exceeding maxUnavailable', async () => {
    await waitFor(async () => (await getDs('agent')).status?.numberAvailable === 3, 10_000, 'available');
    await cp.client.daemonsets.patch(NS, 'agent', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } }, 'strategic');
    let maxMissing = 0;
    await waitFor(async () => {
      const live = await settle('agent');
      const readyNodes = new Set(live.filter((p) => p.status?.phase === 'Running').map((p) => targetNodeName(p)));
      maxMissing = Math.max(maxMissing, 3 - readyNodes.size);
      const d = await getDs('agent');
      return d.status?.updatedNumberScheduled === 3 && d.status.numberAvailable === 3 && live.every((p) => (p.spec?.containers[0] as { image?: string }).image === 'agent:2');
    }, 15_000, 'rollout done');
    assert.ok(maxMissing <= 1, `at most one node without a ready pod, saw ${maxMissing}`);
    const revs = await cp.client.controllerrevisions.list(NS);
    assert.equal(revs.items.filter((r) => r.metadata.ownerReferences?.[0]?.name === 'agent').length, 2);
  });

  it('surges new pods beside old ones with maxSurge', async () => {
    await cp.client.daemonsets.patch(NS, 'agent', { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }, template: { spec: { containers: [{ name: 'c', image: 'agent:3' }] } } } }, 'strategic');
    let sawSurge = false;
    await waitFor(async () => {
      const live = await settle('agent');
      const perNode = new Map<string, number>();
      for (const p of live) perNode.set(targetNodeName(p)!, (perNode.get(targetNodeName(p)!) ?? 0) + 1);
      if ([...perNode.values()].some((n) => n === 2)) sawSurge = true;
      const d = await getDs('agent');
      return d.status?.updatedNumberScheduled === 3 && d.status.numberAvailable === 3 && live.length === 3 && live.every((p) => (p.spec?.containers[0] as { image?: string }).image === 'agent:3');
    }, 15_000, 'surge rollout done');
    assert.ok(sawSurge, 'a node ran an old and a new pod at once');
  });
});
