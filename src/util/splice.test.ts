import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex, PassThrough } from 'node:stream';
import { splice } from './splice.js';

/** A side whose writes complete only when released: a slow reader behind it. */
function slowSide() {
  const received: Buffer[] = [];
  const pending: (() => void)[] = [];
  const side = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      received.push(chunk);
      pending.push(() => cb());
    },
  });
  const releaseAll = async () => {
    while (pending.length || side.writableLength) {
      pending.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { side, received, releaseAll };
}

test('when one side closes, what is still queued for the other is delivered before that one goes', async () => {
  const up = new PassThrough();
  const down = slowSide();
  splice(up, down.side, () => {});
  for (let i = 0; i < 5; i++) up.write(Buffer.alloc(1000, i));
  up.end();
  await new Promise((r) => up.once('close', r));
  assert.equal(down.side.destroyed, false, 'not destroyed while its backlog is unsent');
  await down.releaseAll();
  assert.equal(Buffer.concat(down.received).length, 5000, 'every byte arrives');
  assert.equal(down.side.writableFinished, true, 'then it is ended');
  // Once its peer has ended too, it goes.
  const closed = new Promise((r) => down.side.once('close', r));
  down.side.push(null);
  await closed;
});

test('a side whose peer never takes its backlog is destroyed after the drain time', async () => {
  const up = new PassThrough();
  const down = slowSide();
  splice(up, down.side, () => {}, 20);
  up.end(Buffer.alloc(100));
  // splice's timer does not hold the process open; this test does, until the side goes.
  const hold = setInterval(() => {}, 1000);
  await new Promise((r) => down.side.once('close', r));
  clearInterval(hold);
  assert.equal(down.side.writableFinished, false);
});
