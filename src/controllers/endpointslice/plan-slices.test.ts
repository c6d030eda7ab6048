import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointSlice } from '../../client/types.js';
import { planSlices } from './plan-slices.js';
import { portsKey, type EndpointGroup, type SliceEndpoint, type SlicePort } from './slice-endpoints.js';

const PORTS: SlicePort[] = [{ name: 'http', port: 8080, protocol: 'TCP' }];
const ep = (i: number, ready = true): SliceEndpoint => ({
  addresses: [`10.0.${Math.floor(i / 200)}.${i % 200}`],
  conditions: { ready, serving: ready, terminating: false },
  targetRef: { kind: 'Pod', namespace: 'ns', name: `p${i}`, uid: `u${String(i).padStart(4, '0')}` },
});
const group = (eps: SliceEndpoint[], ports = PORTS): Map<string, EndpointGroup> => new Map([[portsKey(ports), { ports, endpoints: eps }]]);
const slice = (name: string, eps: SliceEndpoint[], ports = PORTS): EndpointSlice => ({ metadata: { name, namespace: 'ns' }, addressType: 'IPv4', endpoints: eps, ports });
const ok = () => true;
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => ep(a + i));

test('250 endpoints and no slices: three new slices of at most 100', () => {
  const plan = planSlices([], group(range(0, 250)), ok);
  assert.deepEqual(plan.create.map((c) => c.endpoints.length), [100, 100, 50]);
  assert.equal(plan.update.length + plan.delete.length, 0);
});

test('nothing changed: no writes', () => {
  const plan = planSlices([slice('a', range(0, 3))], group(range(0, 3)), ok);
  assert.deepEqual(plan, { create: [], update: [], delete: [] });
});

test('a changed endpoint is rewritten in place and new ones fill that slice', () => {
  const desired = [ep(0, false), ep(1), ep(2), ep(3)];
  const plan = planSlices([slice('a', range(0, 2)), slice('b', [ep(2)])], group(desired), ok);
  assert.equal(plan.create.length, 0);
  assert.equal(plan.update.length, 1);
  assert.equal(plan.update[0]!.slice.metadata.name, 'a');
  assert.deepEqual(plan.update[0]!.content.endpoints.map((e) => e.targetRef.name), ['p0', 'p1', 'p3']);
  assert.equal(plan.update[0]!.content.endpoints[0]!.conditions.ready, false);
});

test('slices that empty out are deleted; stale labels force an update', () => {
  const plan = planSlices([slice('a', [ep(0)]), slice('b', [ep(1)])], group([ep(1)]), (s) => s.metadata.name !== 'b');
  assert.deepEqual(plan.delete.map((s) => s.metadata.name), ['a']);
  assert.deepEqual(plan.update.map((u) => u.slice.metadata.name), ['b']);
});

test('a port change replaces slices; no endpoints keeps one empty placeholder', () => {
  const other: SlicePort[] = [{ name: 'http', port: 9090, protocol: 'TCP' }];
  const moved = planSlices([slice('a', [ep(0)])], group([ep(0)], other), ok);
  assert.deepEqual(moved.delete.map((s) => s.metadata.name), ['a']);
  assert.equal(moved.create.length, 1);
  const empty = planSlices([slice('a', [ep(0)]), slice('b', [ep(1)])], new Map(), ok);
  assert.deepEqual(empty.update.map((u) => [u.slice.metadata.name, u.content.endpoints.length]), [['a', 0]]);
  assert.deepEqual(empty.delete.map((s) => s.metadata.name), ['b']);
  assert.deepEqual(planSlices([], new Map(), ok).create, [{ ports: [], endpoints: [] }]);
  assert.deepEqual(planSlices([slice('a', [], [])], new Map(), ok), { create: [], update: [], delete: [] });
});
