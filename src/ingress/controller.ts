// The ingress controller: informers on Ingress, IngressClass, Service,
// EndpointSlice and Secret feed a routing table and certificate map that the
// proxy reads; our Ingresses get the node addresses in their status.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { KubeClient } from '../client/client.js';
import { isAlreadyExists, isConflict, isNotFound } from '../client/errors.js';
import { SharedInformerFactory } from '../client/informer-factory.js';
import { RESOURCES } from '../client/resources.js';
import type { EndpointSlice, Service } from '../client/types.js';
import { deepCopyJSON } from '../api/meta.js';
import type { Node } from '../api/core-v1.js';
import type { Logger } from '../util/log.js';
import { CertificateStore } from './certificates.js';
import { IngressProxy } from './proxy.js';
import { RoutingTable } from './routing-table.js';
import {
  DEFAULT_CLASS_ANNOTATION,
  INGRESS_CLASS_NAME,
  INGRESS_CONTROLLER,
  type Ingress,
  type IngressClass,
  type LoadBalancerIngress,
  type Secret,
} from './types.js';

export interface IngressControllerOptions {
  client: KubeClient;
  /** 80 by default; 0 picks a free port. */
  httpPort?: number;
  /** 443 by default; 0 picks a free port. */
  httpsPort?: number;
  /** The address both servers listen on; all addresses by default. */
  host?: string;
  /** The node addresses written to status.loadBalancer.ingress (IPs or host names). */
  addresses?: string[];
  /**
   * Also list the InternalIP of every Node in the status. With one controller
   * per node, each given only its own address, they would overwrite each
   * other; computed from the shared Node list they all agree.
   */
  publishNodeAddresses?: boolean;
  log: Logger;
  className?: string;
  /** Share the caller's informers (the agent's Service cache, say); the caller then owns their shutdown. */
  informers?: SharedInformerFactory;
}

export interface RunningIngressController {
  ports: { http: number; https: number };
  /** The current table (tests and debugging). */
  table(): RoutingTable;
  close(): Promise<void>;
}

/** Creates IngressClass `kubets` (controller kubets.io/ingress), marked as the cluster default. */
export async function ensureIngressClass(client: KubeClient, name = INGRESS_CLASS_NAME): Promise<void> {
  const classes = client.resource<IngressClass>(RESOURCES.ingressclasses);
  const obj: IngressClass = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    spec: { controller: INGRESS_CONTROLLER },
  };
  try {
    await classes.get(undefined, name);
    return; // an admin's edits (say, another default class) are left alone
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    await classes.create(undefined, obj);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

/** The status entries: sorted and without duplicates, so every writer computes the same value. */
export function statusEntries(addresses: string[]): LoadBalancerIngress[] {
  return [...new Set(addresses)].sort().map((a) => (net.isIP(a) ? { ip: a } : { hostname: a }));
}

function nodeInternalIPs(nodes: Node[]): string[] {
  return nodes.flatMap((n) => (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address));
}

function sameEntries(a: LoadBalancerIngress[] | undefined, b: LoadBalancerIngress[]): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b);
}

function listen(server: net.Server, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function closeServer(s: http.Server | https.Server): Promise<void> {
  return new Promise((resolve) => {
    s.close(() => resolve());
    s.closeAllConnections();
  });
}

export async function startIngressController(opts: IngressControllerOptions): Promise<RunningIngressController> {
  const { client, log } = opts;
  const ownFactory = !opts.informers;
  const factory = opts.informers ?? new SharedInformerFactory(client);
  const ingresses = factory.informer<Ingress>(RESOURCES.ingresses);
  const classes = factory.informer<IngressClass>(RESOURCES.ingressclasses);
  const services = factory.informer<Service>(RESOURCES.services);
  const slices = factory.informer<EndpointSlice>(RESOURCES.endpointslices);
  const secrets = factory.informer<Secret>(RESOURCES.secrets);
  const nodes = opts.publishNodeAddresses ? factory.informer<Node>(RESOURCES.nodes) : undefined;
  const certs = new CertificateStore(log);
  let table = new RoutingTable({ ingresses: [], classes: [], services: [], slices: [] });
  let wanted: LoadBalancerIngress[] = [];
  const statusInFlight = new Set<string>();
  let closed = false;
  let scheduled = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const rebuild = () => {
    scheduled = false;
    if (closed) return;
    table = new RoutingTable({
      ingresses: ingresses.store.list(),
      classes: classes.store.list(),
      services: services.store.list(),
      slices: slices.store.list(),
      className: opts.className,
    });
    const secretMap = new Map<string, Secret>();
    for (const s of secrets.store.list()) if (s.type === undefined || s.type === 'kubernetes.io/tls') secretMap.set(`${s.metadata.namespace}/${s.metadata.name}`, s);
    certs.update(table.ingresses, secretMap);
    wanted = statusEntries([...(opts.addresses ?? []), ...nodeInternalIPs(nodes?.store.list() ?? [])]);
    if (wanted.length > 0) for (const ing of table.ingresses) if (!sameEntries(ing.status?.loadBalancer?.ingress, wanted)) void writeStatus(ing);
  };
  // Events come in bursts (a resync, a rollout): coalesce them into one rebuild.
  const schedule = () => {
    if (scheduled || closed) return;
    scheduled = true;
    setImmediate(rebuild);
  };

  const writeStatus = async (ing: Ingress) => {
    const key = `${ing.metadata.namespace}/${ing.metadata.name}`;
    if (statusInFlight.has(key)) return;
    statusInFlight.add(key);
    try {
      const copy = deepCopyJSON(ing);
      const entries = wanted;
      copy.status = { ...(copy.status ?? {}), loadBalancer: { ingress: entries } };
      await client.resource<Ingress>(RESOURCES.ingresses).updateStatus(copy);
      log.info('ingress status set', { ingress: key, addresses: entries.map((e) => e.ip ?? e.hostname) });
    } catch (err) {
      if (isNotFound(err)) return;
      // A conflict: the newer version may have arrived while this write was in flight (and been skipped), so look
      // again (the rebuild runs after `finally` has cleared the in-flight mark).
      if (isConflict(err)) return schedule();
      log.warn('cannot set ingress status', { ingress: key, err: (err as Error).message });
      if (!retryTimer && !closed) retryTimer = setTimeout(() => { retryTimer = undefined; schedule(); }, 2000).unref();
    } finally {
      statusInFlight.delete(key);
    }
  };

  const handler = { onAdd: schedule, onUpdate: schedule, onDelete: schedule };
  const registrations = [ingresses, classes, services, slices, secrets].map((inf) => inf.addEventHandler(handler));
  // Node heartbeats update status every few seconds; only a changed address list matters here.
  if (nodes) {
    const ips = (n: Node) => nodeInternalIPs([n]).join(',');
    registrations.push(nodes.addEventHandler({ onAdd: schedule, onDelete: schedule, onUpdate: (a, b) => { if (ips(a) !== ips(b)) schedule(); } }));
  }
  const stopInformers = async () => {
    for (const r of registrations) r.remove();
    if (ownFactory) await factory.shutdown();
  };
  factory.start();
  await factory.waitForCacheSync();
  rebuild();

  const proxy = new IngressProxy({ table: () => table, certs, log });
  const httpServer = proxy.httpServer();
  const httpsServer = proxy.httpsServer();
  let ports: { http: number; https: number };
  try {
    ports = {
      http: await listen(httpServer, opts.httpPort ?? 80, opts.host),
      https: await listen(httpsServer, opts.httpsPort ?? 443, opts.host),
    };
  } catch (err) {
    closed = true;
    httpServer.close();
    httpsServer.close();
    await stopInformers();
    throw err;
  }
  log.info('ingress controller serving', { ...ports, host: opts.host ?? '*' });

  return {
    ports,
    table: () => table,
    async close() {
      if (closed) return;
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      proxy.close();
      await Promise.all([closeServer(httpServer), closeServer(httpsServer), stopInformers()]);
    },
  };
}
