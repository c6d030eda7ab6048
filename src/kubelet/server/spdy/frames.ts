// SPDY/3.1 framing: the frames a streaming client needs (SYN_STREAM,
// SYN_REPLY, RST_STREAM, SETTINGS, PING, GOAWAY, HEADERS, WINDOW_UPDATE, DATA).
// Header blocks are encoded here uncompressed; header-compression.ts deflates them.

export const SPDY_VERSION = 3;

export const FrameType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes. */
export const RstStatus = { PROTOCOL_ERROR: 1, INVALID_STREAM: 2, REFUSED_STREAM: 3, CANCEL: 5, INTERNAL_ERROR: 6 } as const;

export class SpdyProtocolError extends Error {
  override name = 'SpdyProtocolError';
}

export type SpdyHeaders = Record<string, string>;

export type Frame =
  | { kind: 'control'; type: number; flags: number; payload: Buffer }
  | { kind: 'data'; streamId: number; flags: number; data: Buffer };

/** Splits a byte stream into frames; feed chunks, get complete frames. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUIntBE(5, 3);
      if (this.buf.length < 8 + len) break;
      const flags = this.buf[4]!;
      const payload = this.buf.subarray(8, 8 + len);
      if (this.buf[0]! & 0x80) {
        const version = this.buf.readUInt16BE(0) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        frames.push({ kind: 'control', type: this.buf.readUInt16BE(2), flags, payload: Buffer.from(payload) });
      } else {
        frames.push({ kind: 'data', streamId: this.buf.readUInt32BE(0) & 0x7fffffff, flags, data: Buffer.from(payload) });
      }
      this.buf = this.buf.subarray(8 + len);
    }
    return frames;
  }
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head[4] = flags;
  head.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([head, payload]);
}

export function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head[4] = flags;
  head.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([head, data]);
}

const u32 = (...ns: number[]) => {
  const b = Buffer.alloc(4 * ns.length);
  ns.forEach((n, i) => b.writeUInt32BE(n >>> 0, i * 4));
  return b;
};

/** SYN_STREAM payload prefix: stream id, associated id, priority (highest: 0), slot. */
export function synStreamPayload(streamId: number, compressedHeaders: Buffer): Buffer {
  return Buffer.concat([u32(streamId, 0), Buffer.from([0, 0]), compressedHeaders]);
}

export const rstStreamFrame = (streamId: number, status: number) => controlFrame(FrameType.RST_STREAM, 0, u32(streamId, status));
export const pingFrame = (id: number) => controlFrame(FrameType.PING, 0, u32(id));
export const goAwayFrame = (lastGoodStreamId: number, status = 0) => controlFrame(FrameType.GOAWAY, 0, u32(lastGoodStreamId, status));

/** The uncompressed SPDY/3 header block: count, then length-prefixed names and values (32-bit lengths). */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [u32(Object.keys(headers).length)];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name.toLowerCase());
    const v = Buffer.from(value);
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const out: SpdyHeaders = {};
  const need = (at: number, n: number) => {
    if (at + n > block.length) throw new SpdyProtocolError('truncated SPDY header block');
  };
  need(0, 4);
  const count = block.readUInt32BE(0);
  let at = 4;
  for (let i = 0; i < count; i++) {
    need(at, 4);
    const nl = block.readUInt32BE(at);
    need(at + 4, nl + 4);
    const name = block.subarray(at + 4, at + 4 + nl).toString('latin1');
    at += 4 + nl;
    const vl = block.readUInt32BE(at);
    need(at + 4, vl);
    // Several values of one name are joined by NUL bytes.
    out[name] = block.subarray(at + 4, at + 4 + vl).toString('utf8');
    at += 4 + vl;
  }
  return out;
}
