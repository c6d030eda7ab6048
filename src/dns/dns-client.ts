// A minimal DNS client over UDP and TCP (one query per call), for tests and
// probes against our server.
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket, { type DecodedPacket, type RecordType } from 'dns-packet';
import { exchangeOverTcp } from './wire.js';

export interface DnsQueryOptions {
  host?: string;
  port: number;
  transport?: 'udp' | 'tcp';
  /** Adds an EDNS0 OPT record advertising this UDP payload size. */
  edns?: number;
  timeoutMs?: number;
}

/** A decoded answer; `rcode` is filled by the decoder though the published types omit it. */
export type DnsReply = DecodedPacket & { rcode: string };

export class DnsTimeoutError extends Error {
  override name = 'DnsTimeoutError';
}

export function encodeQuery(name: string, type: string, id: number, edns?: number): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as RecordType, class: 'IN' }],
    additionals: edns ? [{ type: 'OPT', name: '.', udpPayloadSize: edns, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [],
  });
}

export async function dnsQuery(name: string, type: string, opts: DnsQueryOptions): Promise<DnsReply> {
  const id = Math.floor(Math.random() * 65536);
  const q = encodeQuery(name, type, id, opts.edns);
  const raw = opts.transport === 'tcp' ? await tcpExchange(q, opts) : await udpExchange(q, opts);
  const reply = dnsPacket.decode(raw) as DnsReply;
  if (reply.id !== id) throw new Error(`reply id ${reply.id} does not match query id ${id}`);
  return reply;
}

function udpExchange(q: Buffer, opts: DnsQueryOptions): Promise<Buffer> {
  const host = opts.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    const timer = setTimeout(() => finish(new DnsTimeoutError(`no UDP answer from ${host}:${opts.port}`)), opts.timeoutMs ?? 3000);
    const finish = (err?: Error, msg?: Buffer) => {
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(msg!);
    };
    sock.on('message', (msg) => finish(undefined, msg));
    sock.on('error', (err) => finish(err));
    sock.send(q, opts.port, host);
  });
}

function tcpExchange(q: Buffer, opts: DnsQueryOptions): Promise<Buffer> {
  const host = opts.host ?? '127.0.0.1';
  return exchangeOverTcp(host, opts.port, q, opts.timeoutMs ?? 3000, {
    timeout: () => new DnsTimeoutError(`no TCP answer from ${host}:${opts.port}`),
    closed: () => new Error('connection closed before an answer'),
  });
}
