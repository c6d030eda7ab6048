// A bare-bones WebSocket client for tests that need a subprotocol name the
// ws library refuses (kubectl's "SPDY/3.1+portforward.k8s.io"): binary
// messages out (masked), binary messages in, nothing else.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:tls';
import { readResponseHead } from '../runtime-dial.js';

export interface RawWebSocket {
  protocol: string;
  send(data: Buffer): void;
  /** All binary payloads received so far, concatenated, as UTF-8. */
  received(): string;
  destroy(): void;
}

export async function rawWebSocket(port: number, path: string, protocol: string, who: { certPem: string; keyPem: string }): Promise<RawWebSocket> {
  const sock = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, cert: who.certPem, key: who.keyPem });
  await new Promise((resolve, reject) => {
    sock.once('secureConnect', resolve);
    sock.once('error', reject);
  });
  const key = randomBytes(16).toString('base64');
  sock.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`);
  const head = await readResponseHead(sock);
  if (head.statusCode !== 101) throw new Error(`upgrade failed: ${head.statusCode} ${head.rest.toString()}`);
  let buf = head.rest;
  const payloads: Buffer[] = [];
  const parse = () => {
    for (;;) {
      if (buf.length < 2) return;
      let len = buf[1]! & 0x7f;
      let at = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        at = 10;
      }
      if (buf.length < at + len) return;
      if ((buf[0]! & 0x0f) === 2) payloads.push(buf.subarray(at, at + len));
      buf = buf.subarray(at + len);
    }
  };
  sock.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    parse();
  });
  sock.resume();
  parse();
  return {
    protocol: head.headers['sec-websocket-protocol'] ?? '',
    send(data) {
      const mask = randomBytes(4);
      const hdr = data.length < 126 ? Buffer.from([0x82, 0x80 | data.length]) : Buffer.from([0x82, 0x80 | 126, data.length >> 8, data.length & 0xff]);
      const body = Buffer.from(data.map((b, i) => b ^ mask[i % 4]!));
      sock.write(Buffer.concat([hdr, mask, body]));
    },
    received: () => Buffer.concat(payloads).toString('utf8'),
    destroy: () => sock.destroy(),
  };
}
