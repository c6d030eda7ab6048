// Reaching a runtime streaming server that listens on 127.0.0.1 inside a
// test's network namespace: each connection is a Node child entered into
// the namespace with nsenter --net, piping its stdin/stdout to a TCP socket.
// (Only loopback inside the namespace is dialled; nothing leaves the host.)
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import type { RuntimeDialer } from '../runtime-dial.js';

const SCRIPT = `
const net = require('node:net');
const [host, port] = process.argv.slice(1);
const s = net.connect(Number(port), host);
process.stdin.pipe(s);
s.pipe(process.stdout);
s.on('error', (e) => { process.stderr.write(String(e)); process.exit(2); });
s.on('close', () => process.stdout.end(() => process.exit(0)));
`;

export function netnsDialer(netnsPath: string): RuntimeDialer {
  return async (url: URL) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    if (url.protocol !== 'http:') throw new Error(`netnsDialer: only http: streaming URLs (got ${url.protocol})`);
    const child = spawn('nsenter', [`--net=${netnsPath}`, process.execPath, '-e', SCRIPT, host, port], { stdio: ['pipe', 'pipe', 'ignore'] });
    const duplex = Duplex.from({ readable: child.stdout, writable: child.stdin });
    duplex.on('close', () => child.kill());
    child.on('exit', () => duplex.destroy());
    return duplex;
  };
}
