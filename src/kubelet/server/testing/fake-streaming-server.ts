// A stand-in for a runtime's streaming server, for tests: answers SPDY/3.1
// upgrades speaking the server side of v4.channel.k8s.io with a scripted
// "process" (uppercases stdin to stdout until stdin EOF, then writes to
// stderr and exits with a chosen code), and echoes raw bytes after a
// portforward.k8s.io upgrade.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { controlFrame, dataFrame, decodeHeaderBlock, encodeHeaderBlock, FLAG_FIN, FrameReader, FrameType } from '../spdy/frames.js';
import { HeaderCompressor, HeaderDecompressor } from '../spdy/header-compression.js';

export interface FakeStreamingServer {
  url(kind: 'exec' | 'portforward'): string;
  /** Upgrade requests seen: path and X-Stream-Protocol-Version. */
  requests: { path: string; protocol: string }[];
  close(): Promise<void>;
}

export interface FakeProcess {
  /** Exit code after stdin EOF (or immediately when there is no stdin stream). */
  exitCode: number;
  stderr: string;
  /** Written to stdout at start. */
  greeting?: string;
}

function serveExec(sock: Socket, initial: Buffer, proc: FakeProcess): void {
  const reader = new FrameReader();
  const inflate = new HeaderDecompressor();
  const deflate = new HeaderCompressor();
  const ids = new Map<string, number>();
  let chain: Promise<void> = Promise.resolve();
  let finished = false;
  const write = (b: Buffer) => {
    if (!sock.destroyed) sock.write(b);
  };
  const finish = () => {
    if (finished) return;
    finished = true;
    const err = ids.get('error')!;
    if (proc.stderr && ids.has('stderr')) write(dataFrame(ids.get('stderr')!, FLAG_FIN, Buffer.from(proc.stderr)));
    if (ids.has('stdout')) write(dataFrame(ids.get('stdout')!, FLAG_FIN, Buffer.alloc(0)));
    const status =
      proc.exitCode === 0
        ? { metadata: {}, status: 'Success' }
        : { metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: exit status ${proc.exitCode}`, reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(proc.exitCode) }] } };
    write(dataFrame(err, FLAG_FIN, Buffer.from(JSON.stringify(status))));
    sock.end();
  };
  const onFrame = async (f: ReturnType<FrameReader['push']>[number]) => {
    if (f.kind === 'data') {
      const type = [...ids].find(([, id]) => id === f.streamId)?.[0];
      if (type === 'stdin') {
        if (f.data.length && ids.has('stdout')) write(dataFrame(ids.get('stdout')!, 0, Buffer.from(f.data.toString('utf8').toUpperCase())));
        if (f.flags & FLAG_FIN) finish();
      }
      return;
    }
    if (f.type !== FrameType.SYN_STREAM) return;
    const id = f.payload.readUInt32BE(0) & 0x7fffffff;
    const headers = decodeHeaderBlock(await inflate.decompress(f.payload.subarray(10)));
    ids.set(headers.streamtype ?? '?', id);
    const reply = Buffer.alloc(4);
    reply.writeUInt32BE(id);
    write(controlFrame(FrameType.SYN_REPLY, 0, Buffer.concat([reply, await deflate.compress(encodeHeaderBlock({}))])));
    if (headers.streamtype === 'stdout' && proc.greeting) write(dataFrame(id, 0, Buffer.from(proc.greeting)));
    // Without stdin the "process" runs at once: once its last stream (stderr, as clients open it last) exists.
    if (headers.streamtype === 'stderr' && !ids.has('stdin')) finish();
  };
  const onData = (chunk: Buffer) => {
    for (const f of reader.push(chunk)) chain = chain.then(() => onFrame(f));
  };
  sock.on('data', onData);
  sock.on('close', () => {
    inflate.close();
    deflate.close();
  });
  if (initial.length) onData(initial);
}

export async function startFakeStreamingServer(proc: FakeProcess): Promise<FakeStreamingServer> {
  const requests: FakeStreamingServer['requests'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let buf = Buffer.alloc(0);
    const onHead = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      sock.off('data', onHead);
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const path = lines[0]!.split(' ')[1]!;
      const header = (name: string) => lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? '';
      const offered = lines.filter((l) => l.toLowerCase().startsWith('x-stream-protocol-version:')).flatMap((l) => l.slice(26).split(',').map((s) => s.trim()));
      const rest = buf.subarray(end + 4);
      const isPf = path.startsWith('/portforward');
      const protocol = isPf ? 'portforward.k8s.io' : offered.includes('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : '';
      requests.push({ path, protocol });
      if (header('upgrade').toLowerCase() !== 'spdy/3.1' || !protocol) {
        sock.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      sock.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
      if (isPf) {
        if (rest.length) sock.write(rest);
        sock.on('data', (d: Buffer) => sock.write(d));
      } else serveExec(sock, rest, proc);
    };
    sock.on('data', onHead);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (kind) => `http://127.0.0.1:${port}/${kind}/token123`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
