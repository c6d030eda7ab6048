// Joins two duplex streams byte for byte (an upgraded HTTP connection and
// the one it is proxied to); when either closes, both go.
import type { Duplex } from 'node:stream';

export function splice(a: Duplex, b: Duplex, onError: (err: Error) => void): void {
  a.pipe(b);
  b.pipe(a);
  const close = () => {
    a.destroy();
    b.destroy();
  };
  a.on('close', close);
  b.on('close', close);
  a.on('error', onError);
}
