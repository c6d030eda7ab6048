// Bridges a WebSocket exec/attach session (kubectl's v5.channel.k8s.io, or
// v4) to the runtime's streaming server spoken as SPDY v4.channel.k8s.io, so
// that stdin can be half-closed (kubectl cp into a pod needs EOF).
import type { WebSocket, RawData } from 'ws';
import type { Logger } from '../../util/log.js';
import { SpdyConnection, type SpdyStream } from './spdy/connection.js';
import type { UpgradedConnection } from './runtime-dial.js';

export const WS_V5 = 'v5.channel.k8s.io';
export const WS_V4 = 'v4.channel.k8s.io';

export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export interface StreamFlags {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

const SUCCESS = Buffer.from(JSON.stringify({ metadata: {}, status: 'Success' }));

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Opens the v4 streams on a runtime SPDY connection, in the order kubectl opens them. */
export function openExecStreams(conn: SpdyConnection, flags: StreamFlags) {
  const open = (type: string) => conn.openStream({ streamtype: type });
  const error = open('error');
  const stdin = flags.stdin ? open('stdin') : null;
  const stdout = flags.stdout ? open('stdout') : null;
  const stderr = flags.stderr && !flags.tty ? open('stderr') : null;
  const resize = flags.tty ? open('resize') : null;
  return { error, stdin, stdout, stderr, resize };
}

/**
 * Runs the session until the runtime closes it (then the status goes out on
 * channel 3 and the WebSocket closes) or the client goes away.
 */
export function bridgeExecWebSocket(ws: WebSocket, protocol: string, runtime: UpgradedConnection, flags: StreamFlags, logger: Logger): void {
  const conn = new SpdyConnection(runtime.socket, runtime.head);
  const s = openExecStreams(conn, flags);
  const errorData: Buffer[] = [];
  const send = (channel: number, data: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]), { binary: true });
  };
  const forward = (stream: SpdyStream | null, channel: number) => stream?.on('data', (d) => send(channel, d));
  forward(s.stdout, Channel.stdout);
  forward(s.stderr, Channel.stderr);
  s.error.on('data', (d) => errorData.push(d));

  ws.on('message', (raw: RawData) => {
    const msg = toBuffer(raw);
    if (msg.length === 0) return;
    const payload = msg.subarray(1);
    switch (msg[0]) {
      case Channel.stdin:
        s.stdin?.write(payload);
        break;
      case Channel.resize:
        s.resize?.write(payload);
        break;
      case Channel.close:
        // v5 only: the client closed one of its streams; stdin EOF is a SPDY half-close.
        if (protocol === WS_V5 && payload[0] === Channel.stdin) s.stdin?.end();
        if (protocol === WS_V5 && payload[0] === Channel.resize) s.resize?.end();
        break;
    }
  });
  ws.on('close', () => conn.destroy());
  ws.on('error', (err) => logger.debug('exec websocket error', { err }));
  conn.on('error', (err) => logger.debug('runtime stream error', { err }));
  // The runtime closes the connection after writing the status; everything it sent before is delivered by then.
  conn.on('close', () => {
    const status = errorData.length ? Buffer.concat(errorData) : SUCCESS;
    send(Channel.error, status);
    if (ws.readyState === ws.OPEN) ws.close(1000);
  });
}
