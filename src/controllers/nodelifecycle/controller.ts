// Node lifecycle: marks nodes whose Lease and status heartbeat went silent
// as Unknown, keeps the condition taints (NoSchedule, and not-ready /
// unreachable NoExecute) in step with node conditions, marks the pods of
// unhealthy nodes NotReady, and evicts pods from NoExecute-tainted nodes once
// their tolerations run out (the taint manager).
import { isConflict, isNotFound } from '../../client/errors.js';
import { deletedObject } from '../../client/informer.js';
import { RESOURCES } from '../../client/resources.js';
import { objectKey } from '../../client/store.js';
import type { Condition, Lease, Node, Pod } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import { runKeyedController } from '../keyed-controller.js';
import { ensurePodNodeIndex, POD_NODE_INDEX } from '../pod-node-index.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { newEventRecorder } from '../events.js';
import { healthDeadline, readyCondition, unknownConditions } from './node-health.js';
import { conditionTaints, reconcileTaints, tolerationWindowMs, type Taint, type Toleration } from './taints.js';
import { rfc3339 } from '../../api/time.js';

export { NODE_LEASE_NAMESPACE } from '../../api/node-lease.js';
import { NODE_LEASE_NAMESPACE } from '../../api/node-lease.js';
export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_SECONDS = 40;
export const DISRUPTION_TARGET_REASON = 'DeletionByTaintManager';

const NODE = 'node:';
const POD = 'pod:';

const noExecuteTaints = (node: Node | undefined): Taint[] => ((node?.spec?.taints ?? []) as Taint[]).filter((t) => t.effect === 'NoExecute');

export const nodeLifecycleController: ControllerFactory = (ctx: ControllerContext): Controller => {
  const name = 'nodelifecycle';
  const logger = ctx.logger.child({ controller: name });
  const events = newEventRecorder(ctx.client, 'node-controller', () => ctx.clock.now(), logger);
  const nodes = ctx.informers.informer<Node>(RESOURCES.nodes);
  const pods = ctx.informers.informer<Pod>(RESOURCES.pods);
  const leases = ctx.informers.informer<Lease>(RESOURCES.leases);
  ensurePodNodeIndex(pods);
  const graceMs = (ctx.options.nodeMonitorGracePeriodSeconds ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_SECONDS) * 1000;
  // Upstream gives a new node 60 s against a 40 s grace period; keep that ratio.
  const startupGraceMs = graceMs * 1.5;
  const queue = new RateLimitingQueue<string>({ clock: ctx.clock });

  const enqueuePodsOn = (nodeName: string) => {
    for (const p of pods.store.byIndex(POD_NODE_INDEX, nodeName)) queue.add(POD + objectKey(p));
  };

  async function reconcileNode(nodeName: string): Promise<void> {
    let node = nodes.store.get(nodeName);
    if (!node) return;
    const now = ctx.clock.now();
    const deadline = healthDeadline(node, leases.store.getByName(NODE_LEASE_NAMESPACE, nodeName), graceMs, startupGraceMs);
    if (now >= deadline) {
      const conditions = unknownConditions(node, rfc3339(now));
      if (conditions) {
        const wasReady = readyCondition(node)?.status === 'True';
        node = await ctx.client.nodes.updateStatus({ ...node, status: { ...node.status, conditions } });
        logger.info('node stopped posting status', { node: nodeName });
        if (wasReady) events.event({ ...node, kind: 'Node', apiVersion: 'v1' }, 'Normal', 'NodeNotReady', `Node ${nodeName} status is now: NodeNotReady`);
      }
    } else {
      // Check again as soon as the node could have gone silent; heartbeats requeue earlier.
      queue.addAfter(NODE + nodeName, deadline - now + 10);
    }
    const taints = reconcileTaints((node.spec?.taints ?? []) as Taint[], conditionTaints(node as Parameters<typeof conditionTaints>[0]), rfc3339(now));
    if (taints) node = await ctx.client.nodes.update({ ...node, spec: { ...node.spec, taints } });
    if (readyCondition(node)?.status !== 'True') await markPodsNotReady(nodeName, now);
  }

  async function markPodsNotReady(nodeName: string, now: number): Promise<void> {
    for (const pod of pods.store.byIndex(POD_NODE_INDEX, nodeName)) {
      const conditions = pod.status?.conditions ?? [];
      const ready = conditions.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const next: Condition[] = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: rfc3339(now) } : c));
      try {
        await ctx.client.pods.updateStatus({ ...pod, status: { ...pod.status, conditions: next } });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
        // A conflict means the pod changed: its update event brings the node back here.
        if (isConflict(err)) queue.add(NODE + nodeName);
      }
    }
  }

  async function reconcilePod(key: string): Promise<void> {
    const pod = pods.store.get(key);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName || pod.metadata.deletionTimestamp) return;
    const taints = noExecuteTaints(nodes.store.get(nodeName));
    const windowMs = tolerationWindowMs((pod.spec as { tolerations?: Toleration[] }).tolerations ?? [], taints);
    if (windowMs === undefined) return;
    // The clock starts when the pod first faced the taints: the earliest taint, or the pod's creation if later.
    const taintStart = Math.min(...taints.map((t) => (t.timeAdded ? Date.parse(t.timeAdded) : ctx.clock.now())));
    const start = Math.max(taintStart, Date.parse(pod.metadata.creationTimestamp ?? '') || 0);
    const due = start + windowMs - ctx.clock.now();
    if (due > 0) return queue.addAfter(POD + key, due);
    await evict(pod);
  }

  async function evict(pod: Pod): Promise<void> {
    const ns = pod.metadata.namespace!;
    const podName = pod.metadata.name!;
    events.event({ ...pod, kind: 'Pod', apiVersion: 'v1' }, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${podName}`);
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
    conditions.push({
      type: 'DisruptionTarget',
      status: 'True',
      reason: DISRUPTION_TARGET_REASON,
      message: 'Taint manager: deleting due to NoExecute taint',
      lastTransitionTime: rfc3339(ctx.clock.now()),
    });
    try {
      await ctx.client.pods.updateStatus({ ...pod, status: { ...pod.status, conditions } });
      await ctx.client.pods.delete(ns, podName, { preconditions: { uid: pod.metadata.uid } });
      logger.info('evicted pod from tainted node', { pod: `${ns}/${podName}`, node: pod.spec?.nodeName });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  const reconcile = (key: string) => (key.startsWith(NODE) ? reconcileNode(key.slice(NODE.length)) : reconcilePod(key.slice(POD.length)));

  return {
    name,
    async run(signal) {
      const regs = [
        nodes.addEventHandler({
          onAdd: (n) => queue.add(NODE + objectKey(n)),
          onUpdate: (o, n) => {
            queue.add(NODE + objectKey(n));
            if (JSON.stringify(noExecuteTaints(o)) !== JSON.stringify(noExecuteTaints(n))) enqueuePodsOn(objectKey(n));
          },
        }),
        leases.addEventHandler({
          onAdd: (l) => {
            if (l.metadata.namespace === NODE_LEASE_NAMESPACE) queue.add(NODE + l.metadata.name);
          },
          onUpdate: (_o, l) => {
            if (l.metadata.namespace === NODE_LEASE_NAMESPACE) queue.add(NODE + l.metadata.name);
          },
          onDelete: (l) => {
            const lease = deletedObject(l);
            if (lease.metadata.namespace === NODE_LEASE_NAMESPACE) queue.add(NODE + lease.metadata.name);
          },
        }),
        pods.addEventHandler({
          onAdd: (p) => {
            if (p.spec?.nodeName) queue.add(POD + objectKey(p));
          },
          onUpdate: (o, p) => {
            if (p.spec?.nodeName && (o.spec?.nodeName !== p.spec.nodeName || JSON.stringify(o.spec?.tolerations) !== JSON.stringify(p.spec.tolerations))) {
              queue.add(POD + objectKey(p));
            }
          },
        }),
      ];
      try {
        await runKeyedController({ ctx, name, queue, reconcile }, signal);
      } finally {
        for (const r of regs) r.remove();
      }
    },
  };
};
