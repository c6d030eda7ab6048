// The data path: HTTP and HTTPS servers that look each request up in the
// current routing table and forward it (or its upgraded socket) to one of the
// backend's ready endpoints, chosen round-robin.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../util/log.js';
import type { CertificateStore } from './certificates.js';
import { normalizeHost, requestPath } from './match.js';
import type { RoutingTable, Target, Upstream } from './routing-table.js';

// Headers that belong to one connection and are not forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export interface ProxyOptions {
  table: () => RoutingTable;
  certs: CertificateStore;
  log: Logger;
}

export class IngressProxy {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  private readonly counters = new Map<string, number>();
  private readonly upgraded = new Set<Duplex>();

  constructor(private readonly opts: ProxyOptions) {}

  httpServer(): http.Server {
    const s = http.createServer((req, res) => this.handle(req, res, 'http'));
    s.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head, 'http'));
    s.on('clientError', (_err, socket) => socket.destroy());
    return s;
  }

  httpsServer(): https.Server {
    const s = https.createServer({
      SNICallback: (name, cb) => cb(null, this.opts.certs.lookup(name)),
      // The context for clients that send no SNI.
      secureContext: this.opts.certs.defaultContext,
    }, (req, res) => this.handle(req, res, 'https'));
    s.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head, 'https'));
    s.on('clientError', (_err, socket) => socket.destroy());
    s.on('tlsClientError', () => {});
    return s;
  }

  /** Ends proxied WebSocket streams and pooled upstream connections. */
  close(): void {
    for (const s of this.upgraded) s.destroy();
    this.upgraded.clear();
    this.agent.destroy();
  }

  private route(req: http.IncomingMessage): { upstream: Upstream | undefined; target: Target | undefined } {
    const upstream = this.opts.table().lookup(normalizeHost(req.headers.host), requestPath(req.url));
    if (!upstream || upstream.targets.length === 0) return { upstream, target: undefined };
    const n = this.counters.get(upstream.key) ?? 0;
    this.counters.set(upstream.key, (n + 1) % 1_000_000_007);
    return { upstream, target: upstream.targets[n % upstream.targets.length] };
  }

  private forwardedHeaders(req: http.IncomingMessage, proto: 'http' | 'https'): Record<string, string> {
    const remote = req.socket.remoteAddress ?? '';
    const prior = req.headers['x-forwarded-for'];
    const localPort = req.socket.localPort;
    return {
      'x-forwarded-for': prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${remote}` : remote,
      'x-forwarded-proto': proto,
      'x-forwarded-host': req.headers.host ?? '',
      ...(localPort !== undefined ? { 'x-forwarded-port': String(localPort) } : {}),
    };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, proto: 'http' | 'https'): void {
    const { upstream, target } = this.route(req);
    if (!upstream) return reply(res, 404, 'default backend - 404\n');
    if (!target) return reply(res, 503, 'no ready endpoints\n');
    const headers: Record<string, string | string[]> = {};
    const dropped = connectionTokens(req.headers.connection);
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP_BY_HOP.has(k) || dropped.has(k) || k.startsWith('x-forwarded-')) continue;
      headers[k] = v;
    }
    Object.assign(headers, this.forwardedHeaders(req, proto));
    // A bodiless idempotent request can be resent when a pooled connection turns out to be closed by the endpoint.
    const bodiless = !req.headers['transfer-encoding'] && (req.headers['content-length'] ?? '0') === '0';
    const retriable = bodiless && IDEMPOTENT.has(req.method ?? '');
    let up: http.ClientRequest | undefined;
    res.on('close', () => {
      // The client went away before the answer was complete: stop the upstream request too.
      if (!res.writableFinished) up?.destroy();
    });
    const send = (t: Target, mayRetry: boolean) => {
      const r = http.request({ host: t.host, port: t.port, method: req.method, path: req.url, headers, agent: this.agent }, (ures) => {
        const out: Record<string, string | string[]> = {};
        const udropped = connectionTokens(ures.headers.connection);
        for (const [k, v] of Object.entries(ures.headers)) {
          if (v === undefined || HOP_BY_HOP.has(k) || udropped.has(k)) continue;
          out[k] = v;
        }
        res.writeHead(ures.statusCode ?? 502, ures.statusMessage, out);
        ures.pipe(res);
        ures.on('error', () => res.destroy());
      });
      up = r;
      r.on('error', (err: NodeJS.ErrnoException) => {
        if (mayRetry && r.reusedSocket && err.code === 'ECONNRESET' && !res.headersSent && !res.destroyed) return send(t, false);
        this.opts.log.debug('upstream error', { upstream: upstream.key, target: `${t.host}:${t.port}`, err: err.message });
        if (!res.headersSent) reply(res, 502, 'bad gateway\n');
        else res.destroy();
      });
      if (bodiless) {
        req.resume();
        r.end();
      } else req.pipe(r);
    };
    send(target, retriable);
  }

  /** WebSocket (or any Upgrade): replay the request to the endpoint on a fresh connection, then splice the sockets. */
  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, proto: 'http' | 'https'): void {
    socket.on('error', () => socket.destroy());
    const { upstream, target } = this.route(req);
    if (!upstream || !target) {
      const status = upstream ? '503 Service Unavailable' : '404 Not Found';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const fwd = this.forwardedHeaders(req, proto);
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      if (name.toLowerCase().startsWith('x-forwarded-')) continue;
      lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
    }
    for (const [k, v] of Object.entries(fwd)) lines.push(`${k}: ${v}`);
    const up = net.connect({ host: target.host, port: target.port });
    this.upgraded.add(socket);
    this.upgraded.add(up);
    const done = () => {
      socket.destroy();
      up.destroy();
      this.upgraded.delete(socket);
      this.upgraded.delete(up);
    };
    up.on('error', (err) => {
      this.opts.log.debug('upstream upgrade error', { upstream: upstream.key, err: err.message });
      if (socket.writable && up.bytesRead === 0) socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      done();
    });
    up.on('connect', () => {
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('close', done);
    socket.on('close', done);
  }
}

function connectionTokens(v: string | undefined): Set<string> {
  return new Set((v ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

function reply(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
