// Forwarding of names outside the cluster domain to the host's resolvers:
// UDP first, TCP when the UDP answer comes back truncated; each upstream in
// turn until one answers. The caller turns a ForwardError into SERVFAIL.
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import { exchangeOverTcp, FLAG_TC } from './wire.js';

export interface Upstream {
  host: string;
  port: number;
}

export class ForwardError extends Error {
  override name = 'ForwardError';
}

/** `IP`, `IP:PORT` or `[IPv6]:PORT` → Upstream (port 53 by default). */
export function parseHostPort(s: string, defaultPort = 53): Upstream {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : defaultPort };
  if (net.isIPv6(s)) return { host: s, port: defaultPort };
  const i = s.lastIndexOf(':');
  if (i < 0) return { host: s, port: defaultPort };
  const port = Number(s.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port in ${JSON.stringify(s)}`);
  return { host: s.slice(0, i), port };
}

/** The `nameserver` lines of a resolv.conf. */
export function parseResolvConf(text: string): Upstream[] {
  const out: Upstream[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m && net.isIP(m[1]!.replace(/%.*$/, ''))) out.push({ host: m[1]!.replace(/%.*$/, ''), port: 53 });
  }
  return out;
}

export function hostUpstreams(resolvConf = '/etc/resolv.conf'): Upstream[] {
  try {
    return parseResolvConf(fs.readFileSync(resolvConf, 'utf8'));
  } catch {
    return [];
  }
}

export interface ForwarderOptions {
  upstreams: Upstream[];
  /** Per upstream and transport. */
  timeoutMs?: number;
}

export class Forwarder {
  private readonly timeoutMs: number;

  constructor(private readonly opts: ForwarderOptions) {
    this.timeoutMs = opts.timeoutMs ?? 2000;
  }

  get upstreams(): readonly Upstream[] {
    return this.opts.upstreams;
  }

  /** Sends the raw query upstream; resolves to the raw answer (same id). */
  async forward(query: Buffer): Promise<Buffer> {
    if (this.opts.upstreams.length === 0) throw new ForwardError('no upstream resolvers');
    const errors: string[] = [];
    for (const up of this.opts.upstreams) {
      try {
        const answer = await this.udp(up, query);
        if (answer.length >= 4 && answer.readUInt16BE(2) & FLAG_TC) return await this.tcp(up, query);
        return answer;
      } catch (err) {
        errors.push(`${up.host}:${up.port}: ${(err as Error).message}`);
      }
    }
    throw new ForwardError(`all upstreams failed: ${errors.join('; ')}`);
  }

  private udp(up: Upstream, query: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const sock = dgram.createSocket(net.isIPv6(up.host) ? 'udp6' : 'udp4');
      const id = query.readUInt16BE(0);
      const done = (err: Error | undefined, msg?: Buffer) => {
        clearTimeout(timer);
        sock.close();
        if (err) reject(err);
        else resolve(msg!);
      };
      const timer = setTimeout(() => done(new ForwardError('UDP timeout')), this.timeoutMs);
      sock.on('error', (err) => done(err));
      // Connected, so the kernel only passes the upstream's own datagrams, and an
      // ICMP port-unreachable fails at once (ECONNREFUSED) instead of timing out.
      sock.on('message', (msg) => {
        if (msg.length >= 12 && msg.readUInt16BE(0) === id) done(undefined, msg);
      });
      // Node calls this with the error when connect() fails (e.g. no route to
      // the upstream); sending on the unconnected socket would throw.
      sock.connect(up.port, up.host, ((err?: Error) => {
        if (err) done(err);
        else sock.send(query, (e) => e && done(e));
      }) as () => void);
    });
  }

  private tcp(up: Upstream, query: Buffer): Promise<Buffer> {
    return exchangeOverTcp(up.host, up.port, query, this.timeoutMs, {
      timeout: () => new ForwardError('TCP timeout'),
      closed: () => new ForwardError('TCP connection closed before an answer'),
    });
  }
}
