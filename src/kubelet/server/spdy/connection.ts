// A minimal SPDY/3.1 client connection over an upgraded socket: opens streams,
// sends data and half-closes (FIN), receives replies and data. Enough to speak
// the Kubernetes streaming protocols (exec/attach) to a runtime's streaming
// server; flow control windows are not enforced (the Go peers do not either).
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  controlFrame,
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  FLAG_FIN,
  FrameReader,
  FrameType,
  goAwayFrame,
  pingFrame,
  RstStatus,
  rstStreamFrame,
  SpdyProtocolError,
  synStreamPayload,
  type Frame,
  type SpdyHeaders,
} from './frames.js';
import { HeaderCompressor, HeaderDecompressor } from './header-compression.js';

export interface SpdyStreamEvents {
  data: [Buffer];
  end: [];
  reply: [SpdyHeaders];
  reset: [number];
}

export class SpdyStream extends EventEmitter<SpdyStreamEvents> {
  localClosed = false;
  remoteClosed = false;

  constructor(
    readonly id: number,
    readonly headers: SpdyHeaders,
    private readonly conn: SpdyConnection,
  ) {
    super();
  }

  write(data: Buffer): void {
    if (this.localClosed || data.length === 0) return;
    // Frames carry at most 2^24-1 bytes; stay well below.
    for (let at = 0; at < data.length; at += 0x8000) this.conn.send(dataFrame(this.id, 0, data.subarray(at, at + 0x8000)));
  }

  /** Half-close: no more data from this side (e.g. stdin EOF). */
  end(): void {
    if (this.localClosed) return;
    this.localClosed = true;
    this.conn.send(dataFrame(this.id, FLAG_FIN, Buffer.alloc(0)));
  }

  reset(status: number = RstStatus.CANCEL): void {
    this.localClosed = true;
    this.conn.send(rstStreamFrame(this.id, status));
    this.remoteEnd();
  }

  /** @internal */
  remoteEnd(): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    this.emit('end');
  }
}

export interface SpdyConnectionEvents {
  close: [];
  error: [Error];
}

export class SpdyConnection extends EventEmitter<SpdyConnectionEvents> {
  private nextStreamId = 1;
  private readonly streams = new Map<number, SpdyStream>();
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private outgoing: Promise<void> = Promise.resolve();
  private incoming: Promise<void> = Promise.resolve();
  closed = false;

  constructor(
    private readonly socket: Duplex,
    initial?: Buffer,
  ) {
    super();
    socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    socket.on('close', () => this.onClose());
    socket.on('end', () => this.onClose());
    socket.on('error', (err) => {
      this.emit('error', err);
      this.onClose();
    });
    if (initial?.length) this.onBytes(initial);
    socket.resume();
  }

  /** Opens a stream; its SYN_STREAM goes out before any data written to it. */
  openStream(headers: SpdyHeaders): SpdyStream {
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream = new SpdyStream(id, headers, this);
    this.streams.set(id, stream);
    const compressed = this.compressor.compress(encodeHeaderBlock(headers));
    this.enqueue(async () => controlFrame(FrameType.SYN_STREAM, 0, synStreamPayload(id, await compressed)));
    return stream;
  }

  /** @internal Queues a ready frame behind any frames still being compressed. */
  send(frame: Buffer): void {
    this.enqueue(async () => frame);
  }

  private enqueue(make: () => Promise<Buffer>): void {
    this.outgoing = this.outgoing.then(async () => {
      const frame = await make();
      if (!this.closed && !this.socket.destroyed) this.socket.write(frame);
    }).catch((err: Error) => this.fail(err));
  }

  close(): void {
    if (this.closed) return;
    this.send(goAwayFrame(0));
    this.outgoing = this.outgoing.then(() => {
      this.socket.end();
    });
  }

  destroy(): void {
    this.socket.destroy();
    this.onClose();
  }

  private onBytes(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    for (const f of frames) this.incoming = this.incoming.then(() => this.handle(f)).catch((err: Error) => this.fail(err));
  }

  private async handle(f: Frame): Promise<void> {
    if (f.kind === 'data') {
      const s = this.streams.get(f.streamId);
      if (!s) return;
      if (f.data.length) s.emit('data', f.data);
      if (f.flags & FLAG_FIN) s.remoteEnd();
      return;
    }
    const p = f.payload;
    switch (f.type) {
      case FrameType.SYN_REPLY:
      case FrameType.HEADERS: {
        const id = p.readUInt32BE(0) & 0x7fffffff;
        // Always inflate, to keep the shared zlib state in step.
        const headers = decodeHeaderBlock(await this.decompressor.decompress(p.subarray(4)));
        const s = this.streams.get(id);
        if (!s) return;
        if (f.type === FrameType.SYN_REPLY) s.emit('reply', headers);
        if (f.flags & FLAG_FIN) s.remoteEnd();
        return;
      }
      case FrameType.SYN_STREAM: {
        // This client accepts no pushed streams.
        const id = p.readUInt32BE(0) & 0x7fffffff;
        await this.decompressor.decompress(p.subarray(10));
        this.send(rstStreamFrame(id, RstStatus.REFUSED_STREAM));
        return;
      }
      case FrameType.RST_STREAM: {
        const id = p.readUInt32BE(0) & 0x7fffffff;
        const s = this.streams.get(id);
        if (s) {
          s.localClosed = true;
          s.emit('reset', p.readUInt32BE(4));
          s.remoteEnd();
        }
        return;
      }
      case FrameType.PING:
        this.send(pingFrame(p.readUInt32BE(0)));
        return;
      case FrameType.GOAWAY:
      case FrameType.SETTINGS:
      case FrameType.WINDOW_UPDATE:
        return;
      default:
        return; // unknown control frames are ignored, as SPDY requires
    }
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.emit('error', err instanceof SpdyProtocolError ? err : new SpdyProtocolError(err.message));
    this.destroy();
  }

  private onClose(): void {
    if (this.closed) return;
    // Let frames already received be delivered before the streams end.
    this.incoming = this.incoming.then(() => {
      if (this.closed) return;
      this.closed = true;
      for (const s of this.streams.values()) s.remoteEnd();
      this.compressor.close();
      this.decompressor.close();
      this.emit('close');
    });
  }
}
