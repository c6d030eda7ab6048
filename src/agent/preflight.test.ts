import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentPreflight, findOnPath } from './preflight.js';

test('a non-root process is told the agent needs root', () => {
  const p = agentPreflight({ uid: 1000 });
  assert.equal(p.ok, false);
  assert.match(p.reason!, /needs root/);
});

test('an existing CRI endpoint needs no local containerd', () => {
  assert.deepEqual(agentPreflight({ uid: 0, runtimeEndpoint: 'unix:///run/x.sock' }), { ok: true });
});

test('finds programs on PATH and reports missing ones', () => {
  assert.ok(findOnPath('sh'));
  assert.equal(findOnPath('no-such-program-kubets', '/nonexistent'), undefined);
});
