// Built-in service load balancer (the role k3s's servicelb plays): every
// type=LoadBalancer Service without a loadBalancerClass gets the nodes'
// InternalIPs as status.loadBalancer.ingress. kube-proxy on each node then
// accepts the service port on those addresses (KUBE-SERVICES → KUBE-EXT).
import type { KubeObject } from '../../api/meta.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import { RESOURCES } from '../../client/resources.js';
import { objectKey, splitKey } from '../../client/store.js';
import { RateLimitingQueue } from '../../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from '../types.js';
import { runController } from '../workloads-shared/run-controller.js';

interface LbService extends KubeObject {
  spec?: { type?: string; loadBalancerClass?: string; [k: string]: unknown };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string; ipMode?: string }[] }; [k: string]: unknown };
}

interface NodeObject extends KubeObject {
  status?: { addresses?: { type: string; address: string }[]; conditions?: { type: string; status: string }[] };
}

/** The addresses to publish: InternalIPs of Ready nodes (all nodes when none is Ready yet), sorted. */
export function lbAddresses(nodes: readonly NodeObject[]): string[] {
  const ready = nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  const use = ready.length ? ready : nodes;
  const ips = new Set<string>();
  for (const n of use) for (const a of n.status?.addresses ?? []) if (a.type === 'InternalIP') ips.add(a.address);
  return [...ips].sort();
}

function handled(svc: LbService): boolean {
  return svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;
}

class ServiceLbController implements Controller {
  readonly name = 'servicelb';
  private readonly queue: RateLimitingQueue<string>;
  private readonly services;
  private readonly nodes;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
    this.services = ctx.informers.informer<LbService>(RESOURCES.services);
    this.nodes = ctx.informers.informer<NodeObject>(RESOURCES.nodes);
  }

  async run(signal: AbortSignal): Promise<void> {
    const svc = (s: LbService) => {
      // Also services that stopped being LoadBalancers: their published ingress is cleared.
      if (handled(s) || s.status?.loadBalancer?.ingress?.length) this.queue.add(objectKey(s));
    };
    const allLbs = () => {
      for (const s of this.services.store.list()) if (handled(s)) this.queue.add(objectKey(s));
    };
    const nodeChanged = (a: NodeObject, b: NodeObject) => {
      if (JSON.stringify(lbAddresses([a])) !== JSON.stringify(lbAddresses([b])) || readyOf(a) !== readyOf(b)) allLbs();
    };
    const hs = [
      this.services.addEventHandler({ onAdd: svc, onUpdate: (_o, n) => svc(n) }),
      this.nodes.addEventHandler({ onAdd: allLbs, onUpdate: nodeChanged, onDelete: () => allLbs() }),
    ];
    try {
      await runController(this.ctx, this.name, this.queue, (k) => this.reconcile(k), signal);
    } finally {
      for (const h of hs) h.remove();
    }
  }

  async reconcile(key: string): Promise<void> {
    const cur = this.services.store.get(key);
    if (!cur) return;
    const want = handled(cur) ? lbAddresses(this.nodes.store.list()).map((ip) => ({ ip, ipMode: 'VIP' })) : [];
    const have = (cur.status?.loadBalancer?.ingress ?? []).map((i) => ({ ip: i.ip, ipMode: i.ipMode ?? 'VIP' }));
    if (JSON.stringify(have) === JSON.stringify(want)) return;
    const { namespace, name } = splitKey(key);
    try {
      await this.ctx.client.services.updateStatus({ ...cur, metadata: { ...cur.metadata, namespace, name }, status: { ...cur.status, loadBalancer: want.length ? { ingress: want } : {} } } as LbService);
    } catch (err) {
      // Gone, or a newer version is on its way through the informer: that event retries.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}

function readyOf(n: NodeObject): boolean {
  return !!n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

export const serviceLbController: ControllerFactory = (ctx) => new ServiceLbController(ctx);
