// pods/log, pods/exec, pods/attach, pods/portforward: located on the kubelet
// of the pod's node and proxied there. The kubelet's serving certificate is
// not verified (as upstream without --kubelet-certificate-authority); the API
// server proves itself with its kubelet client certificate.
import { request as httpsRequest } from 'node:https';
import type { ServerResponse } from 'node:http';
import type { Node, Pod } from '../../api/core-v1.js';
import { ApiError, badRequest } from '../status.js';
import type { ApiCore, RequestContext } from './context.js';
import { getObject } from './objects.js';

export const DEFAULT_KUBELET_PORT = 10250;

export interface KubeletClientConfig {
  certPem: string;
  keyPem: string;
}

export interface KubeletLocation {
  host: string;
  port: number;
  nodeName: string;
  /** The kubelet path (with query) the request goes to. */
  path: string;
}

const serviceUnavailable = (message: string) => new ApiError(503, 'ServiceUnavailable', message);

/** Upstream's container choice: the named one, or the only one, else a 400 listing the choices. */
export function resolveContainer(pod: Pod, name: string | null): string {
  const spec = pod.spec ?? ({} as Pod['spec']);
  const containers = (spec.containers ?? []).map((c) => c.name);
  const inits = (spec.initContainers ?? []).map((c) => c.name);
  const ephemeral = ((spec as { ephemeralContainers?: { name: string }[] }).ephemeralContainers ?? []).map((c) => c.name);
  const podName = pod.metadata.name ?? '';
  if (!name) {
    if (containers.length === 1) return containers[0]!;
    let msg = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`;
    if (inits.length) msg += ` or one of the init containers: [${inits.join(' ')}]`;
    if (ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
    throw badRequest(msg);
  }
  if (![...containers, ...inits, ...ephemeral].includes(name)) throw badRequest(`container ${name} is not valid for pod ${podName}`);
  return name;
}

/** The node's kubelet address: its InternalIP (else any address) and daemon endpoint port. */
export function kubeletAddress(node: Node): { host: string; port: number } {
  const addrs = node.status?.addresses ?? [];
  const addr = addrs.find((a) => a.type === 'InternalIP') ?? addrs.find((a) => a.type === 'ExternalIP') ?? addrs.find((a) => a.type === 'Hostname');
  if (!addr?.address) throw serviceUnavailable(`node ${node.metadata.name} has no address to reach its kubelet`);
  return { host: addr.address, port: node.status?.daemonEndpoints?.kubeletEndpoint?.Port || DEFAULT_KUBELET_PORT };
}

type Sub = 'log' | 'exec' | 'attach' | 'portforward';

const LOG_PARAMS = ['follow', 'previous', 'sinceSeconds', 'sinceTime', 'timestamps', 'tailLines', 'limitBytes'];
const STREAM_PARAMS = ['command', 'stdin', 'stdout', 'stderr', 'tty', 'input', 'output', 'error'];

/** Finds the pod, its node and container, and builds the kubelet path for a subresource request. */
export async function locatePodSubresource(core: ApiCore, namespace: string, podName: string, sub: Sub, query: URLSearchParams): Promise<KubeletLocation> {
  const pod = (await getObject(core, core.registry.resolve('', 'v1', 'pods')!.info, namespace, podName)) as Pod;
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw badRequest(`pod ${podName} does not have a host assigned`);
  const phase = pod.status?.phase;
  if ((sub === 'exec' || sub === 'attach' || sub === 'portforward') && (phase === 'Succeeded' || phase === 'Failed')) {
    throw badRequest(`cannot ${sub === 'portforward' ? 'port-forward to' : `${sub} into`} a container in a completed pod; current phase is ${phase}`);
  }
  let node: Node;
  try {
    node = (await getObject(core, core.registry.resolve('', 'v1', 'nodes')!.info, '', nodeName)) as Node;
  } catch (err) {
    if (err instanceof ApiError && err.code === 404) throw serviceUnavailable(`node "${nodeName}" of pod ${podName} not found`);
    throw err;
  }
  const { host, port } = kubeletAddress(node);
  const q = new URLSearchParams();
  const keep = sub === 'log' ? LOG_PARAMS : sub === 'portforward' ? ['ports', 'port'] : STREAM_PARAMS;
  for (const [k, v] of query) if (keep.includes(k)) q.append(k, v);
  const qs = q.toString() ? `?${q.toString()}` : '';
  const enc = encodeURIComponent;
  let path: string;
  if (sub === 'portforward') path = `/portForward/${enc(namespace)}/${enc(podName)}${qs}`;
  else {
    const container = resolveContainer(pod, query.get('container'));
    const kind = sub === 'log' ? 'containerLogs' : sub;
    path = `/${kind}/${enc(namespace)}/${enc(podName)}/${enc(container)}${qs}`;
  }
  return { host, port, nodeName, path };
}

const hostPort = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

/** GET pods/log: streams the kubelet's answer through (held open for follow). */
export function podLogHandler(kubelet: KubeletClientConfig) {
  return async (ctx: RequestContext, res: ServerResponse): Promise<void> => {
    if (ctx.info.verb !== 'get') throw badRequest('log only supports get');
    const loc = await locatePodSubresource(ctx.core, ctx.info.namespace, ctx.info.name, 'log', ctx.query);
    await new Promise<void>((resolve, reject) => {
      const req = httpsRequest({
        host: loc.host,
        port: loc.port,
        path: loc.path,
        method: 'GET',
        cert: kubelet.certPem,
        key: kubelet.keyPem,
        rejectUnauthorized: false,
        servername: '',
        agent: false,
      });
      req.on('response', (up) => {
        const headers: Record<string, string> = { 'Content-Type': up.headers['content-type'] ?? 'text/plain' };
        res.writeHead(up.statusCode ?? 502, headers);
        if (ctx.query.get('follow') === 'true' || ctx.query.get('follow') === '1') res.flushHeaders();
        up.pipe(res);
        up.on('end', resolve);
        up.on('error', () => {
          res.destroy();
          resolve();
        });
        res.on('close', () => {
          up.destroy();
          resolve();
        });
      });
      req.on('error', (err) => reject(serviceUnavailable(`error trying to reach the kubelet of node ${loc.nodeName} at ${hostPort(loc.host, loc.port)}: ${err.message}`)));
      req.end();
    });
  };
}

/** exec/attach/portforward without an Upgrade header cannot be served. */
export async function upgradeRequired(): Promise<void> {
  throw badRequest('Upgrade request required');
}

export { hostPort };
