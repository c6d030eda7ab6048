// The cluster DNS server (the role CoreDNS plays): UDP and TCP listeners that
// answer the cluster domain from an informer-fed index and forward the rest.
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket, { type DecodedPacket } from 'dns-packet';
import type { KubeClient } from '../client/client.js';
import { SharedInformerFactory } from '../client/informer-factory.js';
import { deletedObject } from '../client/informer.js';
import { RESOURCES } from '../client/resources.js';
import type { EndpointSlice, Service } from '../client/types.js';
import { silentLogger, type Logger } from '../util/log.js';
import { ClusterDnsIndex } from './cluster-index.js';
import { Forwarder, hostUpstreams, type Upstream } from './forwarder.js';
import { ClusterResolver, errorResponse, RCODE } from './resolver.js';
import { encodeResponse, frame, FrameReader, udpLimit, withEdns } from './wire.js';

export interface ListenAddress {
  host: string;
  /** 0 picks a free port (the same one for UDP and TCP). */
  port: number;
}

export interface ClusterDnsOptions {
  client: KubeClient;
  listen?: ListenAddress[];
  clusterDomain?: string;
  /** Resolvers for names outside the cluster; the host's /etc/resolv.conf by default. */
  upstreams?: Upstream[];
  forwardTimeoutMs?: number;
  log?: Logger;
  /** Share the caller's informers (the agent's, which kube-proxy uses too); the caller then owns their shutdown. */
  informers?: SharedInformerFactory;
}

export interface RunningClusterDns {
  /** The bound port of each listen address, in order. */
  ports: number[];
  /** The first of `ports`. */
  port: number;
  readonly index: ClusterDnsIndex;
  close(): Promise<void>;
}

/** TCP connections idle longer than this are closed (RFC 7766 suggests seconds). */
const TCP_IDLE_MS = 10_000;

/** Most distinct cluster questions remembered between index changes. */
const ANSWER_CACHE_ENTRIES = 20_000;

/** Turns one raw query into one raw answer; `limit` is set for UDP. */
export class DnsHandler {
  readonly resolver: ClusterResolver;
  /**
   * Encoded local answers by transport + query bytes after the id, dropped
   * whenever the index changes: a repeated question (the common case, as
   * every pod asks the same few names) skips decoding and encoding.
   */
  private readonly answers = new Map<string, Buffer>();
  private answersGen = -1;

  constructor(
    readonly index: ClusterDnsIndex,
    private readonly forwarder: Forwarder,
    private readonly log: Logger = silentLogger,
    /** Off only to measure the uncached path. */
    private readonly answerCache = true,
  ) {
    this.resolver = new ClusterResolver(index);
  }

  /** Synchronous for cluster names (the hot path); a promise only when forwarding. */
  handle(msg: Buffer, udp: boolean): Buffer | Promise<Buffer> | undefined {
    if (this.answersGen !== this.index.generation) {
      this.answers.clear();
      this.answersGen = this.index.generation;
    }
    const key = this.answerCache && msg.length >= 12 ? (udp ? 'u' : 't') + msg.toString('latin1', 2) : undefined;
    const cached = key === undefined ? undefined : this.answers.get(key);
    if (cached) {
      const out = Buffer.from(cached);
      out.writeUInt16BE(msg.readUInt16BE(0), 0);
      return out;
    }
    let q: DecodedPacket;
    try {
      q = dnsPacket.decode(msg);
    } catch {
      // Unparseable: FORMERR if there is at least a header to answer to.
      if (msg.length < 12 || msg.readUInt16BE(2) & 0x8000) return undefined;
      const flags = msg.readUInt16BE(2);
      return dnsPacket.encode(errorResponse({ id: msg.readUInt16BE(0), flags, questions: [] }, RCODE.FORMERR));
    }
    if (q.type === 'response') return undefined;
    const limit = udp ? udpLimit(q) : undefined;
    const r = this.resolver.resolve(q);
    if (r.kind === 'answer') {
      const out = encodeResponse(withEdns(r.packet, q), limit);
      if (key !== undefined) {
        if (this.answers.size >= ANSWER_CACHE_ENTRIES) this.answers.clear();
        this.answers.set(key, out);
      }
      return out;
    }
    return this.forward(msg, q, limit);
  }

  private async forward(msg: Buffer, q: DecodedPacket, limit: number | undefined): Promise<Buffer> {
    try {
      const answer = await this.forwarder.forward(msg);
      if (limit === undefined || answer.length <= limit) return answer;
      // Came back over TCP but the client is on UDP: truncate it ourselves.
      return encodeResponse(dnsPacket.decode(answer), limit);
    } catch (err) {
      this.log.debug('forward failed', { name: q.questions?.[0]?.name, err });
      return encodeResponse(withEdns(errorResponse(q, RCODE.SERVFAIL), q), limit);
    }
  }
}

export async function startClusterDns(opts: ClusterDnsOptions): Promise<RunningClusterDns> {
  const log = opts.log ?? silentLogger;
  const index = new ClusterDnsIndex(opts.clusterDomain ?? 'cluster.local');
  const listenAddrs = opts.listen ?? [{ host: '0.0.0.0', port: 53 }];
  const upstreams = (opts.upstreams ?? hostUpstreams()).filter((u) => {
    const self = isOwnAddress(u, listenAddrs);
    if (self) log.warn('ignoring an upstream that is this server (it would forward to itself)', { upstream: `${u.host}:${u.port}` });
    return !self;
  });
  const forwarder = new Forwarder({ upstreams, timeoutMs: opts.forwardTimeoutMs });
  const handler = new DnsHandler(index, forwarder, log);

  const factory = opts.informers ?? new SharedInformerFactory(opts.client);
  const services = factory.informer<Service>(RESOURCES.services);
  const slices = factory.informer<EndpointSlice>(RESOURCES.endpointslices);
  const serviceEvents = services.addEventHandler({
    onAdd: (s) => index.upsertService(s),
    onUpdate: (_o, s) => index.upsertService(s),
    onDelete: (s) => index.deleteService(deletedObject(s)),
  });
  const sliceEvents = slices.addEventHandler({
    onAdd: (s) => index.upsertSlice(s),
    onUpdate: (_o, s) => index.upsertSlice(s),
    onDelete: (s) => index.deleteSlice(deletedObject(s)),
  });
  factory.start();
  const closers: (() => Promise<void>)[] = [
    async () => {
      serviceEvents.remove();
      sliceEvents.remove();
    },
    ...(opts.informers ? [] : [() => factory.shutdown()]),
  ];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    await factory.waitForCacheSync();
    const ports: number[] = [];
    for (const addr of listenAddrs) {
      const l = await listen(addr, handler, log);
      closers.push(l.close);
      ports.push(l.port);
    }
    log.info('cluster DNS serving', { zone: index.zone, ports, upstreams: forwarder.upstreams.map((u) => `${u.host}:${u.port}`), services: index.serviceCount });
    return { ports, port: ports[0]!, index, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Whether `u` is one of our own listen addresses (a forwarding loop); wildcard listens match loopback. */
export function isOwnAddress(u: Upstream, listen: ListenAddress[]): boolean {
  const loopback = u.host.startsWith('127.') || u.host === '::1';
  return listen.some((l) => l.port !== 0 && l.port === u.port && (l.host === u.host || (loopback && (l.host === '0.0.0.0' || l.host === '::'))));
}

interface Listener {
  port: number;
  close(): Promise<void>;
}

async function listen(addr: ListenAddress, handler: DnsHandler, log: Logger): Promise<Listener> {
  // With port 0, UDP picks the port and TCP must get the same one; retry if TCP finds it taken.
  for (let attempt = 0; ; attempt++) {
    const udp = await bindUdp(addr, handler, log);
    try {
      const tcp = await listenTcp({ host: addr.host, port: udp.port }, handler, log);
      return { port: udp.port, close: async () => { await tcp.close(); await udp.close(); } };
    } catch (err) {
      await udp.close();
      if (addr.port !== 0 || attempt >= 5 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}

function bindUdp(addr: ListenAddress, handler: DnsHandler, log: Logger): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket({ type: net.isIPv6(addr.host) ? 'udp6' : 'udp4' });
    const send = (out: Buffer | undefined, port: number, address: string) => {
      if (out) sock.send(out, port, address);
    };
    sock.on('message', (msg, rinfo) => {
      const out = handler.handle(msg, true);
      if (out instanceof Promise) void out.then((b) => send(b, rinfo.port, rinfo.address), (err) => log.warn('answer failed', { err }));
      else send(out, rinfo.port, rinfo.address);
    });
    sock.once('error', reject);
    sock.bind(addr.port, addr.host, () => {
      sock.off('error', reject);
      sock.on('error', (err) => log.warn('UDP socket error', { err }));
      resolve({ port: sock.address().port, close: () => new Promise<void>((r) => sock.close(() => r())) });
    });
  });
}

function listenTcp(addr: ListenAddress, handler: DnsHandler, log: Logger): Promise<Listener> {
  const conns = new Set<net.Socket>();
  const server = net.createServer((conn) => {
    conns.add(conn);
    conn.setNoDelay(true);
    conn.setTimeout(TCP_IDLE_MS, () => conn.destroy());
    const reader = new FrameReader();
    conn.on('data', (chunk) => {
      for (const msg of reader.push(chunk)) {
        const out = handler.handle(msg, false);
        if (out instanceof Promise) void out.then((b) => !conn.destroyed && conn.write(frame(b)), (err) => log.warn('answer failed', { err }));
        else if (out) conn.write(frame(out));
      }
    });
    conn.on('error', () => conn.destroy());
    conn.on('close', () => conns.delete(conn));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () => new Promise<void>((r) => {
          for (const c of conns) c.destroy();
          server.close(() => r());
        }),
      });
    });
  });
}
