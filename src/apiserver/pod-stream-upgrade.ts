// Upgrade requests (SPDY or WebSocket) for pods/exec, pods/attach and
// pods/portforward: authenticated and authorized like every request (verb
// create on the subresource, also for a WebSocket GET), then replayed over TLS
// to the pod's kubelet with the kubelet path, and the two connections joined
// byte for byte: the protocol is spoken between the client and the kubelet.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Authenticator, Authorizer } from './auth/index.js';
import type { Core } from './core.js';
import { authenticate, forbiddenError } from './http.js';
import { parseRequestInfo } from './request-info.js';
import { hostPort, locatePodSubresource, type KubeletClientConfig } from './rest/pod-proxy.js';
import { ApiError, badRequest, pathNotFound, unauthorized } from './status.js';
import type { Logger } from '../util/log.js';
import { splice } from '../util/splice.js';

export interface UpgradeDeps {
  core: Core;
  authenticator: Authenticator;
  authorizer: Authorizer;
  logger: Logger;
  kubelet: KubeletClientConfig;
}

const STREAM_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);
const HOP_BY_HOP = new Set(['host', 'authorization', 'content-length', 'transfer-encoding', 'impersonate-user', 'impersonate-group']);

function reject(socket: Duplex, err: ApiError): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(err.toStatus());
  socket.end(`HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function connectKubelet(host: string, port: number, kubelet: KubeletClientConfig): Promise<TLSSocket> {
  return new Promise((resolve, rejectP) => {
    const s = tlsConnect({ host, port, cert: kubelet.certPem, key: kubelet.keyPem, rejectUnauthorized: false, servername: '' });
    const timer = setTimeout(() => s.destroy(new Error('timed out')), 10_000);
    s.once('secureConnect', () => {
      clearTimeout(timer);
      s.off('error', rejectP);
      resolve(s);
    });
    s.once('error', (err) => {
      clearTimeout(timer);
      rejectP(err);
    });
  });
}

export function createUpgradeHandler(deps: UpgradeDeps) {
  return async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    socket.on('error', (err) => deps.logger.debug('upgrade client socket error', { err }));
    const url = new URL(req.url ?? '/', 'https://localhost');
    const method = req.method ?? 'GET';
    try {
      let info;
      try {
        info = parseRequestInfo(method, url.pathname, url.searchParams);
      } catch {
        throw badRequest(`malformed request path ${JSON.stringify(url.pathname)}`);
      }
      const user = await authenticate(deps.authenticator, req);
      if (!user) throw unauthorized();
      if (!info.isResourceRequest || info.group !== '' || info.resource !== 'pods' || !STREAM_SUBRESOURCES.has(info.subresource) || !info.name) {
        throw pathNotFound();
      }
      // Streams act on the pod: a WebSocket GET needs create too, as upstream requires.
      const attrs = { verb: 'create', apiGroup: '', resource: 'pods', subresource: info.subresource, namespace: info.namespace, name: info.name, path: url.pathname, resourceRequest: true };
      const decision = await deps.authorizer.authorize(user, attrs);
      if (decision.decision !== 'allow') throw forbiddenError(user.username, { ...info, verb: 'create' });
      const loc = await locatePodSubresource(deps.core, info.namespace, info.name, info.subresource as 'exec', url.searchParams);
      let upstream: TLSSocket;
      try {
        upstream = await connectKubelet(loc.host, loc.port, deps.kubelet);
      } catch (err) {
        throw new ApiError(503, 'ServiceUnavailable', `error dialing the kubelet of node ${loc.nodeName} at ${hostPort(loc.host, loc.port)}: ${(err as Error).message}`);
      }
      let reqHead = `${method} ${loc.path} HTTP/1.1\r\nHost: ${hostPort(loc.host, loc.port)}\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        if (HOP_BY_HOP.has(req.rawHeaders[i]!.toLowerCase())) continue;
        reqHead += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      }
      upstream.write(`${reqHead}\r\n`);
      if (head.length) upstream.write(head);
      splice(upstream, socket, (err) => deps.logger.debug('kubelet stream error', { err }));
    } catch (err) {
      if (err instanceof ApiError) return reject(socket, err);
      deps.logger.error('stream upgrade failed', { path: url.pathname, err });
      reject(socket, new ApiError(500, 'InternalError', (err as Error).message));
    }
  };
}
