import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { chargeFor, exceededMessage, missingMessage, type QuotaObject } from './charge.js';

const PODS = { group: '', resource: 'pods' };
const quota = (hard: Record<string, string>, used: Record<string, string> = {}, scopes?: string[]): QuotaObject => ({
  metadata: { name: 'q' },
  spec: { hard, ...(scopes ? { scopes } : {}) },
  status: { hard, used },
});
const pod = (containers: { name: string; requests?: Record<string, string>; limits?: Record<string, string> }[]): KubeObject => ({
  metadata: { name: 'p' },
  spec: { containers: containers.map(({ name, ...resources }) => ({ name, resources })) },
});

test('a pod is charged its count and compute; over-limit names are listed', () => {
  const c = chargeFor(quota({ pods: '2', 'requests.cpu': '1' }, { pods: '1', 'requests.cpu': '600m' }), PODS, pod([{ name: 'a', requests: { cpu: '500m' } }]))!;
  assert.deepEqual(c.exceeded, ['requests.cpu']);
  assert.deepEqual(c.used, { pods: '2', 'requests.cpu': '1100m' });
  assert.equal(exceededMessage('q', c, quota({ pods: '2', 'requests.cpu': '1' }, { pods: '1', 'requests.cpu': '600m' })), 'exceeded quota: q, requested: requests.cpu=500m, used: requests.cpu=600m, limited: requests.cpu=1');
});

test('containers must state the cpu/memory a quota limits', () => {
  const c = chargeFor(quota({ 'requests.cpu': '4', 'limits.memory': '1Gi' }), PODS, pod([{ name: 'b', requests: { cpu: '1' } }, { name: 'a' }]))!;
  assert.equal(missingMessage('q', c), 'failed quota: q: must specify limits.memory for: a,b; requests.cpu for: a');
});

test('objects a quota does not count, and pods outside its scopes, are not charged', () => {
  assert.equal(chargeFor(quota({ pods: '1' }), { group: '', resource: 'configmaps' }, { metadata: { name: 'c' } }), undefined);
  assert.deepEqual(chargeFor(quota({ 'count/configmaps': '1' }, { 'count/configmaps': '1' }), { group: '', resource: 'configmaps' }, { metadata: { name: 'c' } })?.exceeded, ['count/configmaps']);
  assert.equal(chargeFor(quota({ pods: '1' }, {}, ['NotBestEffort']), PODS, pod([{ name: 'a' }])), undefined);
  assert.equal(chargeFor(quota({ pods: '1' }, {}, ['BestEffort']), { group: '', resource: 'services' }, { metadata: { name: 's' } }), undefined);
});
