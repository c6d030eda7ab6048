import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SchedulerCache } from '../cache/cache.js';
import { assumeAndReserve } from '../binding.js';
import { schedulerConfigurationFromObject } from '../framework/config.js';
import { buildFramework } from '../framework/profile.js';
import { scheduleOne } from '../scheduler.js';
import { inTreeRegistry } from './registry.js';
import { systemDefaultConstraints } from './pod-topology-spread.js';
import type { Pod } from '../types.js';

const owned = (i: number): Pod => ({
  metadata: { name: `p${i}`, namespace: 'd', uid: `u${i}`, labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs1', controller: true }] },
  spec: { containers: [{ name: 'c' }] },
});

it('spreads a workload over hosts by default, as upstream system default constraints do', () => {
  const fw = buildFramework(schedulerConfigurationFromObject({}).profiles[0], inTreeRegistry({ bind: async () => {} }), { random: () => 0 });
  const cache = new SchedulerCache();
  for (const n of ['a', 'b']) {
    cache.addNode({ metadata: { name: n, labels: { 'kubernetes.io/hostname': n } }, status: { allocatable: { cpu: '32', memory: '256Gi', pods: '110' } } });
  }
  const placed: string[] = [];
  for (let i = 0; i < 4; i++) {
    const out = scheduleOne(owned(i), cache, fw);
    assert.equal(out.status, 'Scheduled');
    if (out.status !== 'Scheduled') return;
    assert.ok(assumeAndReserve(cache, fw, out.state, out.podInfo, out.node).isSuccess());
    placed.push(out.node);
  }
  assert.deepEqual(placed.filter((n) => n === 'a').length, 2, `placed ${placed.join(',')}`);
});

it('applies system defaults only to workload pods without constraints of their own', () => {
  assert.equal(systemDefaultConstraints(owned(0)).length, 2);
  const bare = owned(0);
  delete bare.metadata.ownerReferences;
  assert.deepEqual(systemDefaultConstraints(bare), []);
  const own = owned(0);
  own.spec!.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }];
  assert.deepEqual(systemDefaultConstraints(own), []);
});
