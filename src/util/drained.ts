// Back-pressure for writers that loop: wait until a stream drains again, or
// closes (then there is nothing left to wait for).
import type { Writable } from 'node:stream';

export function drained(out: Pick<Writable, 'on' | 'off'>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
