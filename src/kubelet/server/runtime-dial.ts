// Opens an HTTP Upgrade connection to a runtime streaming URL (the URL CRI
// Exec/Attach/PortForward returned) and hands back the raw socket after the
// 101 response, with any bytes that followed the response head.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';

export class UpgradeFailedError extends Error {
  override name = 'UpgradeFailedError';
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly body?: string,
  ) {
    super(message);
  }
}

export interface UpgradedConnection {
  /** Paused; resume or pipe it after attaching listeners. */
  socket: Duplex;
  /** Bytes received after the response head (already part of the upgraded protocol). */
  head: Buffer;
  headers: Record<string, string>;
}

/** Opens a byte stream to a runtime streaming URL's host and port (TLS for https). */
export type RuntimeDialer = (url: URL) => Promise<Duplex>;

export function dialSocket(url: URL, timeoutMs = 10_000): Promise<Socket> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    // The runtime's own streaming server is local and uses a self-signed certificate when it uses TLS at all.
    const s: Socket = url.protocol === 'https:' ? tlsConnect({ host, port, rejectUnauthorized: false, servername: '' }) : netConnect({ host, port });
    const timer = setTimeout(() => s.destroy(new UpgradeFailedError(`timed out connecting to ${url.host}`)), timeoutMs);
    s.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Reads an HTTP response head from `socket`; resolves with status, headers and the bytes after it. */
export function readResponseHead(socket: Duplex, timeoutMs = 30_000): Promise<{ statusCode: number; headers: Record<string, string>; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new UpgradeFailedError('timed out waiting for the upgrade response')), timeoutMs);
    const finish = (err: Error | null, value?: { statusCode: number; headers: Record<string, string>; rest: Buffer }) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onErr);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve(value!);
    };
    const onErr = (err: Error) => finish(err);
    const onClose = () => finish(new UpgradeFailedError('connection closed before the upgrade response', undefined, buf.toString('utf8')));
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > 64 * 1024) finish(new UpgradeFailedError('upgrade response head too large'));
        return;
      }
      socket.pause();
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
      if (!m) return finish(new UpgradeFailedError(`bad response line ${JSON.stringify(lines[0])}`));
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      finish(null, { statusCode: Number(m[1]), headers, rest: buf.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.on('error', onErr);
    socket.on('close', onClose);
  });
}

/** Serialises a request head. Header values may repeat (arrays). */
export function requestHead(method: string, path: string, headers: Record<string, string | string[]>): string {
  let s = `${method} ${path} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : [v]) s += `${k}: ${one}\r\n`;
  return `${s}\r\n`;
}

/**
 * Sends an upgrade request to the runtime URL and waits for 101.
 * `headers` must carry Connection/Upgrade and the protocol headers.
 */
export async function upgradeToRuntime(
  url: string,
  method: string,
  headers: Record<string, string | string[]>,
  dial: RuntimeDialer = dialSocket,
): Promise<UpgradedConnection> {
  const u = new URL(url);
  const socket = await dial(u);
  socket.write(requestHead(method, `${u.pathname}${u.search}`, { Host: u.host, ...headers }));
  let res;
  try {
    res = await readResponseHead(socket);
  } catch (err) {
    socket.destroy();
    throw err;
  }
  if (res.statusCode !== 101) {
    socket.destroy();
    throw new UpgradeFailedError(`runtime refused the upgrade: HTTP ${res.statusCode}: ${res.rest.toString('utf8').trim()}`, res.statusCode, res.rest.toString('utf8'));
  }
  // Left paused: the caller resumes (or pipes) once its listeners are attached.
  return { socket, head: res.rest, headers: res.headers };
}
