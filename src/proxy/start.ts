// kube-proxy as a component: informers for Services and EndpointSlices feed
// a Proxier; also the node routes the proxy depends on. Used by
// `kubets proxy` and, in-process, by the agent.
import { runCommand } from '../agent/run-command.js';
import type { KubeClient } from '../client/client.js';
import { SharedInformerFactory } from '../client/informer-factory.js';
import { RESOURCES } from '../client/resources.js';
import { installServiceRoute, installUnreachableRoutes, removeServiceRoute, type CommandRunner } from '../network/node-routes.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { Proxier } from './proxier.js';
import type { EndpointSliceObject, ServiceObject } from './service-ports.js';

export interface ProxyOptions {
  client: KubeClient;
  nodeName: string;
  clusterCIDR?: string;
  serviceCIDR?: string;
  /** Source address for the node's own connections to service IPs; defaults to the Node's InternalIP. */
  nodeIP?: string;
  /** Share the caller's informers (the agent's); by default the proxy has its own. */
  informers?: SharedInformerFactory;
  /** Runs ip/iptables/conntrack; `nsenter --net=...` in tests. */
  run?: CommandRunner;
  clock?: Clock;
  minSyncPeriodMs?: number;
  log: Logger;
}

export interface RunningProxy {
  proxier: Proxier;
  /** Stops syncing; with cleanup, also removes every rule and route the proxy made. */
  stop(opts?: { cleanup?: boolean }): Promise<void>;
}

async function nodeInternalIP(client: KubeClient, nodeName: string): Promise<string | undefined> {
  try {
    const node = await client.nodes.get(undefined, nodeName);
    const addrs = (node.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? [];
    return addrs.find((a) => a.type === 'InternalIP' && /^\d+\.\d+\.\d+\.\d+$/.test(a.address))?.address;
  } catch {
    return undefined;
  }
}

export async function startProxy(o: ProxyOptions): Promise<RunningProxy> {
  const log = o.log.child({ component: 'proxy', node: o.nodeName });
  const run = o.run ?? runCommand;
  const ownFactory = !o.informers;
  const informers = o.informers ?? new SharedInformerFactory(o.client);
  const services = informers.informer<ServiceObject>(RESOURCES.services);
  const slices = informers.informer<EndpointSliceObject>(RESOURCES.endpointslices);

  await installUnreachableRoutes([o.clusterCIDR, o.serviceCIDR], log, run);
  if (o.serviceCIDR) {
    const ip = o.nodeIP ?? (await nodeInternalIP(o.client, o.nodeName));
    if (ip) await installServiceRoute(o.serviceCIDR, ip, run);
    else log.warn('node IP unknown: no service route; the node cannot reach service IPs, and pods are refused only at the ICMP rate');
  }

  const proxier = new Proxier({
    nodeName: o.nodeName,
    clusterCIDR: o.clusterCIDR,
    serviceCIDR: o.serviceCIDR,
    run,
    clock: o.clock,
    log,
    minSyncPeriodMs: o.minSyncPeriodMs,
    source: { services: () => services.store.list(), endpointSlices: () => slices.store.list() },
  });
  informers.start();
  await Promise.all([services.waitForSync(), slices.waitForSync()]);
  const unwatch = proxier.watch(services, slices);
  proxier.markChanged();
  await proxier.whenIdle();
  log.info('proxy rules in place');

  let stopped: Promise<void> | undefined;
  return {
    proxier,
    stop: (opts = {}) =>
      (stopped ??= (async () => {
        unwatch();
        proxier.stop();
        await proxier.whenIdle();
        if (ownFactory) await informers.shutdown();
        if (opts.cleanup) {
          await proxier.cleanup();
          await removeServiceRoute(run);
        }
      })()),
  };
}
