// Wire-level details shared by the server and the forwarder: TCP's 2-byte
// length framing, EDNS0 payload sizes and UDP truncation.
import net from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket, type OptAnswer, type Packet } from 'dns-packet';

/** Without EDNS0 a UDP answer may be at most 512 bytes (RFC 1035). */
export const CLASSIC_UDP_LIMIT = 512;
/** What we accept and advertise over EDNS0 (the DNS flag day 2020 value). */
export const EDNS_UDP_SIZE = 1232;
export const FLAG_TC = 1 << 9;

/** The client's OPT record, if it sent one. */
export function queryOpt(q: DecodedPacket): OptAnswer | undefined {
  return q.additionals?.find((a): a is OptAnswer => a.type === 'OPT');
}

/** The largest UDP response this client accepts. */
export function udpLimit(q: DecodedPacket): number {
  const opt = queryOpt(q);
  if (!opt) return CLASSIC_UDP_LIMIT;
  return Math.max(CLASSIC_UDP_LIMIT, Math.min(opt.udpPayloadSize || CLASSIC_UDP_LIMIT, 65535));
}

/** Adds our OPT record to `packet` when the query had one (EDNS0 replies must echo it). */
export function withEdns(packet: Packet, q: DecodedPacket): Packet {
  if (!queryOpt(q)) return packet;
  const opt = { type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] } as unknown as Answer;
  return { ...packet, additionals: [...(packet.additionals ?? []), opt] };
}

/**
 * Encodes `packet` within `limit` bytes (UDP). The additional section is only
 * a hint, so it goes first (no TC needed, RFC 2181 9); if the answer is still
 * too large it is sent with TC set and its record sections emptied (keeping
 * OPT), so the client retries over TCP.
 */
export function encodeResponse(packet: Packet, limit: number | undefined): Buffer {
  const buf = dnsPacket.encode(packet);
  if (limit === undefined || buf.length <= limit) return buf;
  const opt = (packet.additionals ?? []).filter((a) => a.type === 'OPT');
  if (opt.length !== (packet.additionals ?? []).length) {
    const lean = dnsPacket.encode({ ...packet, additionals: opt });
    if (lean.length <= limit) return lean;
  }
  return dnsPacket.encode({
    ...packet,
    flags: (packet.flags ?? 0) | FLAG_TC,
    answers: [],
    authorities: [],
    additionals: opt,
  });
}

/** A 2-byte big-endian length, then the message: one DNS message over TCP. */
export function frame(msg: Buffer): Buffer {
  const out = Buffer.allocUnsafe(msg.length + 2);
  out.writeUInt16BE(msg.length, 0);
  msg.copy(out, 2);
  return out;
}

/** Splits a TCP byte stream into DNS messages. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  /** Feeds bytes; returns the complete messages now available. */
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Buffer[] = [];
    while (this.buf.length >= 2) {
      const len = this.buf.readUInt16BE(0);
      if (this.buf.length < 2 + len) break;
      out.push(this.buf.subarray(2, 2 + len));
      this.buf = this.buf.subarray(2 + len);
    }
    return out;
  }
}

/**
 * One query over TCP: connect, send it framed, resolve with the first framed
 * message back. `errors` words the timeout and the early close for the caller.
 */
export function exchangeOverTcp(host: string, port: number, query: Buffer, timeoutMs: number, errors: { timeout: () => Error; closed: () => Error }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    const reader = new FrameReader();
    let settled = false;
    const done = (err: Error | undefined, msg?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(msg!);
    };
    const timer = setTimeout(() => done(errors.timeout()), timeoutMs);
    sock.on('connect', () => sock.write(frame(query)));
    sock.on('data', (chunk) => {
      const msg = reader.push(chunk)[0];
      if (msg) done(undefined, Buffer.from(msg));
    });
    sock.on('error', (err) => done(err));
    sock.on('close', () => done(errors.closed()));
  });
}
