// `kubets server` / `kubets apiserver`: the API server process.
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../api/meta.js';
import { openStore, type Datastore, type OpenedStore } from '../storage/index.js';
import { isStorageError } from '../storage/errors.js';
import type { Clock } from '../util/clock.js';
import { createLogger, type Logger } from '../util/log.js';
import { namespaceLifecycle, SYSTEM_NAMESPACES } from './admission/namespace-lifecycle.js';
import { defaultTolerationSeconds } from './admission/default-tolerations.js';
import { resourceQuotaAdmission } from './admission/resource-quota.js';
import { serviceAccountAdmission } from './admission/service-account.js';
import { defaultStorageClassAdmission } from './admission/default-storage-class.js';
import { localPathStorageClass } from '../controllers/localpath/storage-class.js';
import { ServiceAllocator, ipToString, parseCidr } from './admission/service-allocator.js';
import { buildAuthenticator, defaultAuthorizer, ensureNodeToken } from './auth/index.js';
import { Core } from './core.js';
import { createHandler } from './http.js';
import { createUpgradeHandler } from './pod-stream-upgrade.js';
import { podLogHandler, upgradeRequired } from './rest/pod-proxy.js';
import { Metrics } from './metrics.js';
import type { JsonSchema } from '../api/openapi/index.js';
import { CrdController } from './crd/crd-controller.js';
import type { CrdInfo } from './crd/crd-info.js';
import { OpenApiService } from './openapi.js';
import { ensurePki, tlsServerOptions, writeKubeconfig, type Pki } from './pki/index.js';
import { BUILTIN_RESOURCES } from './registry/builtin.js';
import { Registry } from './registry/registry.js';
import { decodeObject, objectKey } from './registry/storage-codec.js';
import type { ResourceInfo } from './registry/resource-info.js';
import { createObject, getObject, updateObject } from './rest/objects.js';
import type { UserInfo } from './rest/context.js';
import { tableConvertor } from './tables.js';
import { handleBinding, handleEviction } from './rest/pod-subresources.js';
import { handleNamespaceFinalize } from './rest/namespace-finalize.js';
import { tokenHandler } from './rest/token.js';
import { objectValidator } from './validation.js';

export interface ApiServerConfig {
  dataDir: string;
  port?: number;
  bindAddress?: string;
  datastore?: Datastore;
  etcdEndpoints?: string[];
  serviceCidr?: string;
  clusterCidr?: string;
  tokenAuthFile?: string;
  /** DefaultTolerationSeconds admission: not-ready/unreachable tolerations added to pods. */
  defaultTolerationSeconds?: number;
  /** Also serve (the same TLS API) on this unix socket: it crosses network namespaces, e.g. to a loopback forwarder on the host. */
  unixSocket?: string;
  /** Create the `local-path` StorageClass (marked default) at start; true unless set false. */
  localPathStorageClass?: boolean;
  logger?: Logger;
  clock?: Clock;
}

export interface RunningApiServer {
  url: string;
  port: number;
  core: Core;
  kubeconfigPath: string;
  nodeToken: string;
  /** The cluster CA certificate (PEM). */
  caPem: string;
  close(): Promise<void>;
}

const SYSTEM_USER: UserInfo = { username: 'system:apiserver', groups: ['system:masters'] };

function defaultServiceAccountFor(namespace: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } };
}

/** Every new namespace gets its `default` ServiceAccount before the create returns. */
function defaultServiceAccount(core: Core): Core['afterWrite'][number] {
  return async (op, r, obj) => {
    if (op !== 'CREATE' || r.group !== '' || r.resource !== 'namespaces') return;
    await ensureObject(core, builtin('', 'serviceaccounts'), defaultServiceAccountFor(obj.metadata.name!));
  };
}

const builtin = (group: string, resource: string): ResourceInfo => {
  const r = BUILTIN_RESOURCES.find((x) => x.group === group && x.resource === resource);
  if (!r) throw new Error(`no built-in resource ${group}/${resource}`);
  return r;
};

async function ensureObject(core: Core, r: ResourceInfo, obj: KubeObject): Promise<void> {
  try {
    await getObject(core, r, obj.metadata.namespace ?? '', obj.metadata.name!);
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
    try {
      await createObject(core, r, obj, { user: SYSTEM_USER });
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
    }
  }
}

export async function startApiServer(cfg: ApiServerConfig): Promise<RunningApiServer> {
  const logger = cfg.logger ?? createLogger();
  const started = Date.now();
  const port = cfg.port ?? 6443;
  const bindAddress = cfg.bindAddress ?? '127.0.0.1';
  const serviceCidr = cfg.serviceCidr ?? '10.43.0.0/16';
  fs.mkdirSync(cfg.dataDir, { recursive: true, mode: 0o700 });
  const kubernetesIp = ipToString(parseCidr(serviceCidr).base + 1);

  const pki = await ensurePki(cfg.dataDir, { hostnames: [os.hostname()], ips: [bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress], serviceIP: kubernetesIp });
  let opened: OpenedStore;
  try {
    opened = await openStore({
      datastore: cfg.datastore ?? 'sqlite',
      dataDir: cfg.dataDir,
      etcdEndpoints: cfg.etcdEndpoints,
      onCompactionError: (err) => logger.warn('compaction failed', { err }),
      onWaiting: (err) => logger.warn('waiting for the store', { err: err.message }),
    });
  } catch (err) {
    throw new Error(`cannot open the ${cfg.datastore ?? 'sqlite'} store: ${(err as Error).message}`, { cause: err });
  }
  // A start that fails after this point must not leave the store (an etcd
  // client, say) or a listener open: the process would never exit.
  const undo: (() => void)[] = [];
  try {
    return await serveOnStore({ cfg, logger, started, port, bindAddress, serviceCidr, kubernetesIp, pki, opened, undo });
  } catch (err) {
    for (const u of undo.reverse()) u();
    await opened.close().catch(() => undefined);
    throw err;
  }
}

interface ServeContext {
  cfg: ApiServerConfig;
  logger: Logger;
  started: number;
  port: number;
  bindAddress: string;
  serviceCidr: string;
  kubernetesIp: string;
  pki: Pki;
  opened: OpenedStore;
  /** What to close if the start fails after all. */
  undo: (() => void)[];
}

async function serveOnStore({ cfg, logger, started, port, bindAddress, serviceCidr, kubernetesIp, pki, opened, undo }: ServeContext): Promise<RunningApiServer> {
  const store = opened.store;
  const registry = new Registry(BUILTIN_RESOURCES);
  const core = new Core({ store, registry, validator: objectValidator, tables: tableConvertor, logger, clock: cfg.clock });
  const allocator = new ServiceAllocator(serviceCidr);
  core.admission.push(namespaceLifecycle(core), allocator.admission(), defaultTolerationSeconds(cfg.defaultTolerationSeconds ?? 300), serviceAccountAdmission(core), defaultStorageClassAdmission(core), resourceQuotaAdmission(core));
  core.afterWrite.push(allocator.afterWrite(), defaultServiceAccount(core));
  core.onHookError = (err) => logger.warn('post-write hook failed', { err });
  core.subresourceHandlers.set('/pods/binding', handleBinding);
  core.subresourceHandlers.set('/pods/eviction', handleEviction);
  core.subresourceHandlers.set('/serviceaccounts/token', tokenHandler(pki));
  core.subresourceHandlers.set('/namespaces/finalize', handleNamespaceFinalize);
  const kubeletClient = { certPem: pki.kubeletClient.certPem, keyPem: pki.kubeletClient.keyPem };
  core.subresourceHandlers.set('/pods/log', podLogHandler(kubeletClient));
  for (const sub of ['exec', 'attach', 'portforward']) core.subresourceHandlers.set(`/pods/${sub}`, upgradeRequired);
  const services = await store.list('/core/services/');
  allocator.restore(services.items.map(decodeObject));

  const getSecret = async (ns: string, name: string) => {
    try {
      return decodeObject(await store.get(objectKey(builtin('', 'secrets'), ns, name)));
    } catch (err) {
      if (isStorageError(err, 'NotFound')) return null;
      throw err;
    }
  };
  const getBy = (resource: string) => async (ns: string, name: string) => {
    try {
      return decodeObject(await store.get(objectKey(builtin('', resource), ns, name)));
    } catch (err) {
      if (isStorageError(err, 'NotFound')) return null;
      throw err;
    }
  };
  const authenticator = await buildAuthenticator({
    caPem: pki.ca.certPem,
    tokenAuthFile: cfg.tokenAuthFile,
    getSecret,
    serviceAccount: { key: pki.serviceAccount, lookup: { getServiceAccount: getBy('serviceaccounts'), getPod: getBy('pods'), getSecret } },
  });
  const authorizer = defaultAuthorizer();
  const metrics = new Metrics(() => core.watchCount);

  let ready = false;
  const crdController = new CrdController(core, builtin('apiextensions.k8s.io', 'customresourcedefinitions'), logger);
  core.afterWrite.push(crdController.hook());
  await crdController.start();
  const openapi = new OpenApiService(registry, (crd, version) => (crd as CrdInfo).versions.get(version)?.schema as JsonSchema | undefined);
  const handler = createHandler({ core, authenticator, authorizer, metrics, logger, isReady: () => ready, caPem: pki.ca.certPem, extraRoutes: (p, req, res) => openapi.handle(p, req, res) });
  const server = https.createServer(tlsServerOptions(pki), (req, res) => void handler(req, res));
  server.keepAliveTimeout = 60_000;
  const onUpgrade = createUpgradeHandler({ core, authenticator, authorizer, logger, kubelet: kubeletClient });
  // Upgraded sockets leave the HTTP server's bookkeeping: close() ends them itself.
  const streams = new Set<import('node:stream').Duplex>();
  server.on('upgrade', (req, socket, head) => {
    streams.add(socket);
    socket.on('close', () => streams.delete(socket));
    void onUpgrade(req, socket, head);
  });
  undo.push(() => core.shutdown());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bindAddress, () => resolve());
  });
  undo.push(() => {
    server.close();
    server.closeAllConnections();
  });
  const actualPort = (server.address() as AddressInfo).port;
  // The unix socket hands its connections to the HTTPS server, so both share TLS, handlers and shutdown.
  let unixServer: net.Server | undefined;
  if (cfg.unixSocket) {
    const sock = cfg.unixSocket;
    fs.rmSync(sock, { force: true });
    unixServer = net.createServer((conn) => server.emit('connection', conn));
    await new Promise<void>((resolve, reject) => {
      unixServer!.once('error', reject);
      unixServer!.listen(sock, () => resolve());
    });
    undo.push(() => unixServer!.close());
    fs.chmodSync(sock, 0o600);
  }
  const host = bindAddress === '0.0.0.0' || bindAddress === '::' ? '127.0.0.1' : bindAddress;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;

  // Bootstrap: the system namespaces, the kubernetes Service, the node join token.
  for (const name of SYSTEM_NAMESPACES) {
    await ensureObject(core, builtin('', 'namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await ensureObject(core, builtin('', 'serviceaccounts'), defaultServiceAccountFor(name));
  }
  await ensureObject(core, builtin('', 'services'), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: kubernetesIp, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: actualPort }], sessionAffinity: 'None' },
  });
  const endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: host === 'localhost' ? '127.0.0.1' : host }], ports: [{ name: 'https', port: actualPort, protocol: 'TCP' }] }],
  };
  await ensureObject(core, builtin('', 'endpoints'), endpoints);
  await updateObject(core, builtin('', 'endpoints'), 'default', 'kubernetes', { mutate: (cur) => ({ ...cur!, subsets: endpoints.subsets }) }, { user: SYSTEM_USER });
  // kube-proxy reads EndpointSlices, and skip-mirror keeps the mirroring controller off: write the slice too, as upstream's reconciler does.
  const apiIP = endpoints.subsets[0]!.addresses[0]!.ip;
  const slice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: apiIP.includes(':') ? 'IPv6' : 'IPv4',
    endpoints: [{ addresses: [apiIP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: actualPort, protocol: 'TCP' }],
  };
  await ensureObject(core, builtin('discovery.k8s.io', 'endpointslices'), slice as unknown as KubeObject);
  await updateObject(core, builtin('discovery.k8s.io', 'endpointslices'), 'default', 'kubernetes', { mutate: (cur) => ({ ...cur!, addressType: slice.addressType, endpoints: slice.endpoints, ports: slice.ports }) }, { user: SYSTEM_USER });
  const nodeToken = await ensureNodeToken(cfg.dataDir, pki.ca.cert.raw);
  await ensureObject(core, builtin('', 'secrets'), nodeToken.secret as unknown as KubeObject);
  if (cfg.localPathStorageClass !== false) await ensureObject(core, builtin('storage.k8s.io', 'storageclasses'), localPathStorageClass());

  const kubeconfigPath = path.join(cfg.dataDir, 'kubeconfig.yaml');
  await writeKubeconfig(kubeconfigPath, { server: url, caPem: pki.ca.certPem, clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem });
  ready = true;
  logger.info('API server ready', { url, datastore: store.backend, ms: Date.now() - started, kubeconfig: kubeconfigPath });

  let closing: Promise<void> | null = null;
  return {
    url,
    port: actualPort,
    core,
    kubeconfigPath,
    nodeToken: nodeToken.text,
    caPem: pki.ca.certPem,
    close() {
      closing ??= (async () => {
        ready = false;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        if (unixServer) {
          unixServer.close();
          fs.rmSync(cfg.unixSocket!, { force: true });
        }
        core.shutdown(); // ends open watches
        for (const s of streams) s.destroy();
        server.closeIdleConnections();
        const forced = setTimeout(() => server.closeAllConnections(), 10_000);
        await closed;
        clearTimeout(forced);
        await opened.close();
        logger.info('API server stopped');
      })();
      return closing;
    },
  };
}

