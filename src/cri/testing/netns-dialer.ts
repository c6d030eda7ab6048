// Dialing TCP inside a test node's network namespace from code that runs in
// the host's (the kubelet under test: probes to pod IPs, proxying to
// containerd's stream server on the namespace's 127.0.0.1). A small Node
// process inside the namespace listens on a unix socket (a file, so it is
// reachable from any namespace); each connection names "host port\n", the
// bridge answers one status byte ("1" connected, "0" failed) and then pipes.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

const BRIDGE = `
const net = require('net');
const [sock] = process.argv.slice(1);
const server = net.createServer((c) => {
  let head = Buffer.alloc(0);
  const onData = (d) => {
    head = Buffer.concat([head, d]);
    const nl = head.indexOf(10);
    if (nl < 0) return;
    c.off('data', onData);
    c.pause();
    const [host, port] = head.subarray(0, nl).toString().trim().split(' ');
    const rest = head.subarray(nl + 1);
    const up = net.connect(Number(port), host);
    up.once('connect', () => {
      c.write('1');
      if (rest.length) up.write(rest);
      c.pipe(up);
      up.pipe(c);
      c.resume();
    });
    up.on('error', () => { if (!up.connecting) c.destroy(); else c.end('0'); });
    c.on('error', () => up.destroy());
    c.on('close', () => up.destroy());
    up.on('close', () => c.end());
  };
  c.on('data', onData);
});
server.listen(sock, () => process.stdout.write('ready\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

export class NetnsDialError extends Error {
  override name = 'NetnsDialError';
}

export class NetnsDialer {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly netnsPath: string,
    private readonly socketPath: string,
  ) {}

  private start(): Promise<void> {
    this.ready ??= new Promise<void>((resolve, reject) => {
      // stdin stays open: the bridge exits when we (or our process) go away.
      const child = spawn('nsenter', [`--net=${this.netnsPath}`, process.execPath, '-e', BRIDGE, this.socketPath], { stdio: ['pipe', 'pipe', 'inherit'] });
      this.child = child;
      child.on('error', reject);
      child.once('exit', (code) => reject(new NetnsDialError(`netns bridge exited ${code}`)));
      child.stdout!.once('data', () => resolve());
    });
    return this.ready;
  }

  /** A TCP connection to host:port as seen from inside the namespace. */
  async connect(host: string, port: number): Promise<net.Socket> {
    await this.start();
    return new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(this.socketPath);
      const fail = (err?: Error) => {
        s.off('readable', onReadable);
        s.destroy();
        reject(err ?? new NetnsDialError(`connect ${host}:${port} inside the namespace failed`));
      };
      // Read exactly the status byte (non-flowing), so whatever follows stays
      // buffered for the caller, whose 'data' listener will start the flow.
      const onReadable = () => {
        const b = s.read(1) as Buffer | null;
        if (b === null) return;
        s.off('readable', onReadable);
        s.off('error', fail);
        s.off('end', onEnd);
        if (b[0] !== 0x31) fail();
        else resolve(s);
      };
      const onEnd = () => fail();
      s.once('error', fail);
      s.once('end', onEnd);
      s.once('connect', () => s.write(`${host} ${port}\n`));
      s.on('readable', onReadable);
    });
  }

  /** An http.Agent whose connections are dialed inside the namespace (for http.request, fetch-less clients, ws). */
  agent(): http.Agent {
    const agent = new http.Agent({ keepAlive: false });
    (agent as unknown as { createConnection: (o: http.ClientRequestArgs, cb: (err: Error | null, s?: Duplex) => void) => undefined }).createConnection = (opts, cb) => {
      this.connect(String(opts.host ?? opts.hostname ?? '127.0.0.1'), Number(opts.port ?? 80)).then(
        (s) => cb(null, s),
        (err: Error) => cb(err),
      );
      return undefined;
    };
    return agent;
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}
