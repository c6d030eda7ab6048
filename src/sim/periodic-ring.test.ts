import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../util/clock.js';
import { PeriodicRing } from './periodic-ring.js';

const flush = () => new Promise<void>((r) => setImmediate(r));

test('PeriodicRing spreads keys over the period and runs each once per period', async () => {
  const clock = new FakeClock(0);
  const runs: [string, number][] = [];
  const ring = new PeriodicRing<string>({ clock, periodMs: 1000, run: async (k) => void runs.push([k, clock.now()]) });
  ring.add(['a', 'b', 'c', 'd']);
  clock.advance(999);
  await flush();
  assert.deepEqual(runs, [['a', 0], ['b', 250], ['c', 500], ['d', 750]]);
  runs.length = 0;
  ring.remove('b');
  clock.advance(1000);
  await flush();
  assert.deepEqual(runs, [['a', 1000], ['c', 1500], ['d', 1750]]);
  ring.stop();
  runs.length = 0;
  clock.advance(5000);
  await flush();
  assert.deepEqual(runs, []);
});

test('PeriodicRing skips a key whose previous run is still going and caps concurrency', async () => {
  const clock = new FakeClock(0);
  let active = 0;
  let maxActive = 0;
  const release: (() => void)[] = [];
  const started: string[] = [];
  const ring = new PeriodicRing<string>({
    clock,
    periodMs: 100,
    concurrency: 2,
    run: (k) => {
      started.push(k);
      active++;
      maxActive = Math.max(maxActive, active);
      return new Promise<void>((r) => release.push(() => (active--, r())));
    },
  });
  ring.add(['a', 'b', 'c'], 0);
  clock.advance(99);
  await flush();
  assert.deepEqual(started, ['a', 'b'], 'c waits for a slot');
  clock.advance(100); // a and b are due again but still running
  await flush();
  assert.deepEqual(started, ['a', 'b']);
  release.shift()!();
  await flush();
  assert.deepEqual(started, ['a', 'b', 'c']);
  assert.equal(maxActive, 2);
  ring.stop();
  for (const r of release.splice(0)) r();
});
