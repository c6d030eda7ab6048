// Node IPAM: gives every Node a podCIDR out of the cluster CIDR, rebuilds
// what is taken from existing Nodes at start, and frees a Node's range when
// the Node is deleted.
import { isNotFound } from '../../client/errors.js';
import { deletedObject } from '../../client/informer.js';
import { RESOURCES } from '../../client/resources.js';
import { objectKey } from '../../client/store.js';
import type { Node } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import { runKeyedController } from '../keyed-controller.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { newEventRecorder } from '../events.js';
import { CidrAllocator } from './cidr-allocator.js';

export const DEFAULT_CLUSTER_CIDR = '10.42.0.0/16';
export const DEFAULT_NODE_CIDR_MASK_SIZE = 24;

type NodeSpec = NonNullable<Node['spec']> & { podCIDRs?: string[] };

export function nodePodCidr(node: Node): string | undefined {
  const spec = node.spec as NodeSpec | undefined;
  return spec?.podCIDR || spec?.podCIDRs?.[0] || undefined;
}

export const nodeIpamController: ControllerFactory = (ctx: ControllerContext): Controller => {
  const name = 'nodeipam';
  const logger = ctx.logger.child({ controller: name });
  const nodes = ctx.informers.informer<Node>(RESOURCES.nodes);
  const allocator = new CidrAllocator(ctx.options.clusterCidr ?? DEFAULT_CLUSTER_CIDR, ctx.options.nodeCidrMaskSize ?? DEFAULT_NODE_CIDR_MASK_SIZE);
  /** What each node holds (or is being given) by name. */
  const byNode = new Map<string, string>();
  /** Nodes told that no range is left; they wait, without retries, until forget() frees one. */
  const starved = new Set<string>();
  const events = newEventRecorder(ctx.client, 'node-ipam-controller', () => ctx.clock.now(), logger);
  const queue = new RateLimitingQueue<string>({ clock: ctx.clock });

  function record(nodeName: string, cidr: string): void {
    const prev = byNode.get(nodeName);
    if (prev === cidr) return;
    if (prev) allocator.release(prev);
    if (!allocator.occupy(cidr) && !allocator.isAllocated(cidr)) {
      logger.warn('node podCIDR is outside the cluster CIDR', { node: nodeName, cidr });
    }
    byNode.set(nodeName, cidr);
  }

  function forget(nodeName: string): void {
    const cidr = byNode.get(nodeName);
    byNode.delete(nodeName);
    starved.delete(nodeName);
    if (!cidr) return;
    allocator.release(cidr);
    // Nodes waiting on an exhausted range can go now, without their backoff.
    for (const n of nodes.store.list()) if (!nodePodCidr(n) && !byNode.has(objectKey(n))) queue.add(objectKey(n));
  }

  async function reconcile(key: string): Promise<void> {
    const node = nodes.store.get(key);
    if (!node) return forget(key);
    const existing = nodePodCidr(node);
    if (existing) {
      starved.delete(key);
      return record(key, existing);
    }
    let cidr = byNode.get(key);
    if (!cidr) {
      cidr = allocator.allocate();
      if (!cidr) {
        // Said once per node, as upstream's CIDRNotAvailable event; a freed range re-queues it.
        if (!starved.has(key)) {
          starved.add(key);
          logger.warn('no podCIDR left for node', { node: key, clusterCIDR: ctx.options.clusterCidr ?? DEFAULT_CLUSTER_CIDR });
          events.event({ apiVersion: 'v1', kind: 'Node', metadata: { name: key, uid: node.metadata.uid } }, 'Normal', 'CIDRNotAvailable', `Node ${key} status is now: CIDRNotAvailable`);
        }
        return;
      }
      starved.delete(key);
      byNode.set(key, cidr);
    }
    try {
      await ctx.client.nodes.patch(undefined, key, { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, 'merge');
      logger.info('assigned podCIDR', { node: key, cidr });
    } catch (err) {
      if (isNotFound(err)) return forget(key);
      throw err;
    }
  }

  return {
    name,
    async run(signal) {
      const reg = nodes.addEventHandler({
        onAdd: (n) => queue.add(objectKey(n)),
        // A node without a range is re-queued by a failed patch (with back-off) or by a freed range, not by its heartbeats.
        onUpdate: (o, n) => {
          if (nodePodCidr(o) !== nodePodCidr(n)) queue.add(objectKey(n));
        },
        onDelete: (n) => queue.add(objectKey(deletedObject(n))),
      });
      const recover = () => {
        for (const n of nodes.store.list()) {
          const cidr = nodePodCidr(n);
          if (cidr) record(objectKey(n), cidr);
        }
        logger.debug('recovered podCIDRs', { nodes: byNode.size });
      };
      try {
        await runKeyedController({ ctx, name, queue, reconcile, beforeWorkers: recover, workers: 1 }, signal);
      } finally {
        reg.remove();
      }
    },
  };
};
