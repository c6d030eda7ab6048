// The kubelet's HTTPS API (port 10250): health, pods, container logs, stats,
// and the streaming endpoints (exec, attach, port-forward) that the API
// server proxies kubectl to. Callers authenticate with client certificates
// signed by the cluster CA.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import type { Pod } from '../../api/core-v1.js';
import type { RuntimeService } from '../../cri/types.js';
import { realClock } from '../../util/clock.js';
import { silentLogger, type Logger } from '../../util/log.js';
import { logOptionsFromQuery, LogOptionsError } from '../logs/log-options.js';
import { readLogs } from '../logs/read-logs.js';
import { bridgeExecWebSocket, WS_V4, WS_V5 } from './exec-bridge.js';
import { KubeletHttpError, rejectUpgrade, sendStatus } from './http-status.js';
import { bridgePortForwardWebSocket, WS_PORTFORWARD } from './portforward-bridge.js';
import { authorizationAttributes, execParams, parseRoute, type Route } from './routes.js';
import { dialSocket, requestHead, upgradeToRuntime } from './runtime-dial.js';
import { StatsProvider } from './stats.js';
import type { KubeletServer, KubeletServerOptions, KubeletUser } from './types.js';
import { splice } from '../../util/splice.js';

export const DEFAULT_KUBELET_PORT = 10250;

const SPDY_EXEC_PROTOCOL = 'v4.channel.k8s.io';
const SPDY_PORTFORWARD_PROTOCOL = 'portforward.k8s.io';

/** The caller named by its verified client certificate (CN = user, O = groups), or null. */
export function certificateUser(socket: TLSSocket): KubeletUser | null {
  if (!socket.authorized) return null;
  const subject = socket.getPeerCertificate()?.subject as unknown as Record<string, string | string[]> | undefined;
  if (!subject?.CN) return null;
  const cn = Array.isArray(subject.CN) ? subject.CN[0]! : subject.CN;
  const o = subject.O === undefined ? [] : Array.isArray(subject.O) ? subject.O : [subject.O];
  return { name: cn, groups: o };
}

const defaultAuthorize = (user: KubeletUser) => user.groups.includes('system:masters');

function allContainerNames(pod: Pod): string[] {
  const spec = pod.spec as { containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].map((c) => c.name);
}

function sendJson(res: ServerResponse, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function isWebSocket(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

export async function startKubeletServer(opts: KubeletServerOptions): Promise<KubeletServer> {
  const logger: Logger = opts.logger ?? silentLogger;
  const clock = opts.clock ?? realClock;
  const runtime: RuntimeService = opts.runtime;
  const authorize = opts.authorize ?? defaultAuthorize;
  const dial = opts.dialRuntime ?? dialSocket;
  const stats = new StatsProvider(runtime, opts.nodeName, opts.hostRoot ?? '/', () => clock.now());
  // ws rejects subprotocols that are not RFC 7230 tokens, and kubectl's
  // "SPDY/3.1+portforward.k8s.io" is not one: the protocol header is taken
  // off the request before ws sees it and the chosen one answered here.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  wss.on('headers', (headers, req) => {
    const chosen = (req as IncomingMessage & { chosenProtocol?: string }).chosenProtocol;
    if (chosen) headers.push(`Sec-WebSocket-Protocol: ${chosen}`);
  });
  const server: Server = createServer({ cert: opts.certPem, key: opts.keyPem, ca: opts.clientCaPem, requestCert: true, rejectUnauthorized: false });

  /** Authenticates and authorizes; throws KubeletHttpError 401/403. */
  async function admit(req: IncomingMessage, route: Route | null, pathname: string): Promise<void> {
    const user = certificateUser(req.socket as TLSSocket);
    if (!user) throw new KubeletHttpError(401, 'Unauthorized');
    const attrs = authorizationAttributes(req.method ?? 'GET', route, pathname);
    if (!(await authorize(user, attrs))) {
      throw new KubeletHttpError(403, `Forbidden (user=${user.name}, verb=${attrs.verb}, resource=${attrs.resource}, subresource(s)=[${attrs.subresource}])`);
    }
  }

  async function requirePod(namespace: string, name: string): Promise<Pod> {
    const pod = await opts.pods.getPod(namespace, name);
    if (!pod) throw new KubeletHttpError(404, `pod does not exist`);
    return pod;
  }

  async function requireContainer(namespace: string, podName: string, container: string, previous = false) {
    const pod = await requirePod(namespace, podName);
    if (!allContainerNames(pod).includes(container)) throw new KubeletHttpError(404, `container ${container} is not valid for pod ${podName}`);
    const ref = await opts.pods.findContainer(namespace, podName, container, previous);
    if (!ref) {
      throw new KubeletHttpError(400, previous ? `previous terminated container "${container}" in pod "${podName}" not found` : `container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`);
    }
    return ref;
  }

  async function isRunning(containerId: string): Promise<boolean> {
    try {
      const st = await runtime.containerStatus(containerId);
      return st?.state === 'CONTAINER_RUNNING' || st?.state === 'CONTAINER_CREATED';
    } catch {
      return false;
    }
  }

  async function serveLogs(route: Extract<Route, { kind: 'containerLogs' }>, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let logOpts;
    try {
      logOpts = logOptionsFromQuery(q, clock.now());
    } catch (err) {
      if (err instanceof LogOptionsError) throw new KubeletHttpError(400, err.message);
      throw err;
    }
    const ref = await requireContainer(route.namespace, route.pod, route.container, logOpts.previous);
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    req.on('close', () => ac.abort());
    let started = false;
    try {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
      if (logOpts.follow) res.flushHeaders();
      started = true;
      await readLogs(ref.logPath, logOpts, res, { signal: ac.signal, clock, isRunning: () => isRunning(ref.containerId) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !started) throw new KubeletHttpError(404, `log file for container "${route.container}" not found`);
      logger.warn('reading logs failed', { err, path: ref.logPath });
    }
    res.end();
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const route = parseRoute(url.pathname);
    try {
      await admit(req, route, url.pathname);
      if (!route) throw new KubeletHttpError(404, `the server could not find the requested resource`);
      const method = req.method ?? 'GET';
      switch (route.kind) {
        case 'healthz':
          res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end('ok');
          return;
        case 'pods': {
          const items = await opts.pods.listPods();
          return sendJson(res, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items });
          return;
        }
        case 'stats': {
          return sendJson(res, await stats.summary());
        }
        case 'containerLogs':
          if (method !== 'GET') throw new KubeletHttpError(405, `method ${method} not allowed`);
          return await serveLogs(route, url.searchParams, req, res);
        default:
          throw new KubeletHttpError(400, 'Upgrade request required');
      }
    } catch (err) {
      if (err instanceof KubeletHttpError) return sendStatus(res, err.code, err.message);
      logger.error('kubelet request failed', { err, path: url.pathname });
      sendStatus(res, 500, (err as Error).message);
    }
  }

  /** The runtime's streaming URL for an exec/attach/portForward request. */
  async function runtimeUrl(route: Route, q: URLSearchParams): Promise<string> {
    if (route.kind === 'portForward') {
      await requirePod(route.namespace, route.pod);
      const sandbox = await opts.pods.findSandbox(route.namespace, route.pod);
      if (!sandbox) throw new KubeletHttpError(400, `pod ${route.pod} has no running sandbox`);
      const ports = q.getAll('port').concat(q.getAll('ports')).flatMap((p) => p.split(',')).map(Number).filter((n) => n > 0);
      return runtime.portForward(sandbox.sandboxId, ports);
    }
    if (route.kind !== 'exec' && route.kind !== 'attach') throw new KubeletHttpError(404, 'not a streaming endpoint');
    const ref = await requireContainer(route.namespace, route.pod, route.container);
    if (!(await isRunning(ref.containerId))) throw new KubeletHttpError(400, `container ${route.container} is not running`);
    const p = execParams(q);
    if (!p.stdin && !p.stdout && !p.stderr) throw new KubeletHttpError(400, 'you must specify at least 1 of stdin, stdout, stderr');
    if (route.kind === 'exec' && p.command.length === 0) throw new KubeletHttpError(400, 'you must specify a command');
    const req = { container_id: ref.containerId, tty: p.tty, stdin: p.stdin, stdout: p.stdout, stderr: p.stderr };
    return route.kind === 'exec' ? runtime.exec({ ...req, cmd: p.command }) : runtime.attach(req);
  }

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', (err) => logger.debug('upgrade socket error', { err }));
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const route = parseRoute(url.pathname);
    try {
      await admit(req, route, url.pathname);
      if (!route || (route.kind !== 'exec' && route.kind !== 'attach' && route.kind !== 'portForward')) {
        throw new KubeletHttpError(404, 'the server could not find the requested resource');
      }
      if (isWebSocket(req)) return await upgradeWebSocket(route, url.searchParams, req, socket, head);
      const target = await runtimeUrl(route, url.searchParams);
      logger.debug('stream session', { kind: route.kind, transport: 'spdy', protocol: String(req.headers['x-stream-protocol-version'] ?? '') });
      await proxyUpgrade(target, req, socket, head);
    } catch (err) {
      if (err instanceof KubeletHttpError) return rejectUpgrade(socket, err.code, err.message);
      logger.warn('kubelet streaming request failed', { err, path: url.pathname });
      rejectUpgrade(socket, 500, (err as Error).message);
    }
  }

  /** SPDY from the client: the upgrade request is replayed to the runtime and the two sockets are joined. */
  async function proxyUpgrade(target: string, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const u = new URL(target);
    const upstream = await dial(u).catch((err: Error) => {
      throw new KubeletHttpError(502, `cannot reach the container runtime's streaming server: ${err.message}`);
    });
    const headers: Record<string, string | string[]> = { Host: u.host };
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      if (['host', 'authorization', 'content-length', 'transfer-encoding'].includes(name.toLowerCase())) continue;
      const prev = headers[name];
      headers[name] = prev === undefined ? req.rawHeaders[i + 1]! : [...(Array.isArray(prev) ? prev : [prev]), req.rawHeaders[i + 1]!];
    }
    upstream.write(requestHead(req.method ?? 'POST', `${u.pathname}${u.search}`, headers));
    if (head.length) upstream.write(head);
    splice(upstream, socket, (err) => logger.debug('runtime stream error', { err }));
  }

  async function upgradeWebSocket(route: Route, q: URLSearchParams, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const offered = offeredProtocols(req);
    const isPf = route.kind === 'portForward';
    const protocol = isPf ? (offered.includes(WS_PORTFORWARD) ? WS_PORTFORWARD : undefined) : [WS_V5, WS_V4].find((p) => offered.includes(p));
    if (!protocol) {
      const want = isPf ? WS_PORTFORWARD : `${WS_V5} or ${WS_V4}`;
      throw new KubeletHttpError(400, `unable to upgrade: no supported WebSocket subprotocol offered (want ${want}, got ${JSON.stringify(offered)})`);
    }
    const target = await runtimeUrl(route, q);
    // The runtime connection is made before answering 101, so that its failure is still an HTTP error.
    const upstream = await upgradeToRuntime(target, 'POST', {
      Connection: 'Upgrade',
      Upgrade: 'SPDY/3.1',
      'X-Stream-Protocol-Version': isPf ? SPDY_PORTFORWARD_PROTOCOL : SPDY_EXEC_PROTOCOL,
    }, dial).catch((err: Error) => {
      throw new KubeletHttpError(502, `cannot open a stream to the container runtime: ${err.message}`);
    });
    (req as IncomingMessage & { chosenProtocol?: string }).chosenProtocol = protocol;
    delete req.headers['sec-websocket-protocol'];
    logger.debug('stream session', { kind: route.kind, transport: 'websocket', protocol });
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (isPf) bridgePortForwardWebSocket(ws, upstream, logger);
      else bridgeExecWebSocket(ws, protocol, upstream, execParams(q), logger);
    });
  }

  server.on('request', (req, res) => void onRequest(req, res));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void onUpgrade(req, socket, head));
  server.on('tlsClientError', (err) => logger.debug('kubelet TLS handshake failed', { err }));
  const sockets = new Set<Duplex>();
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_KUBELET_PORT, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (opts.sampleStatsEveryMs !== 0) stats.start(clock, opts.sampleStatsEveryMs ?? 10_000);
  logger.info('kubelet API listening', { port });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        stats.stopSampling();
        for (const c of wss.clients) c.terminate();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
