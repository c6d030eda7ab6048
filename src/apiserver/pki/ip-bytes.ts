// IP address text to the raw bytes an X.509 iPAddress SAN holds.
import { isIPv4, isIPv6 } from 'node:net';

export class InvalidIPError extends Error {
  override name = 'InvalidIPError';
}

function v4(ip: string): number[] {
  return ip.split('.').map((p) => Number.parseInt(p, 10));
}

export function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(v4(ip));
  if (!isIPv6(ip)) throw new InvalidIPError(`not an IP address: ${ip}`);
  let text = ip.split('%')[0] ?? ip;
  // A trailing dotted IPv4 part (::ffff:1.2.3.4) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = v4(dotted[1]);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}
