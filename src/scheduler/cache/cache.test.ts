import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CacheError, SchedulerCache } from './cache.js';
import { makeNode, makePod } from '../testing/fixtures.js';

const antiPod = (name: string, node?: string) =>
  makePod(name, {
    ...(node ? { node } : {}),
    spec: {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { a: 'b' } }, topologyKey: 'kubernetes.io/hostname' }],
        },
      },
    },
  });

test('requested resources, ports and affinity lists follow pod add/update/remove', () => {
  const c = new SchedulerCache();
  c.addNode(makeNode('n'));
  const p = makePod('p', { node: 'n', cpu: '1', memory: '1Gi', spec: { containers: [{ name: 'c', resources: { requests: { cpu: '1', memory: '1Gi' } }, ports: [{ containerPort: 80, hostPort: 80 }] }] } });
  c.addPod(p);
  const ni = c.get('n')!;
  assert.equal(ni.requested.milliCPU, 1000);
  assert.equal(ni.usedPorts.size, 1);
  c.updatePod(p, { ...p, spec: { ...p.spec, containers: [{ name: 'c', resources: { requests: { cpu: '2' } } }] } });
  assert.equal(ni.requested.milliCPU, 2000);
  assert.equal(ni.requested.memory, 0);
  assert.equal(ni.usedPorts.size, 0);
  c.addPod(antiPod('anti', 'n'));
  assert.deepEqual(c.havePodsWithRequiredAntiAffinity().map((n) => n.name), ['n']);
  c.removePod(antiPod('anti', 'n'));
  assert.deepEqual(c.havePodsWithRequiredAntiAffinity(), []);
  c.removePod(p);
  assert.equal(ni.requested.milliCPU, 0);
  assert.equal(ni.pods.length, 0);
});

test('assume, confirm by the informer, forget on bind failure', () => {
  const c = new SchedulerCache();
  c.addNode(makeNode('n1'));
  c.addNode(makeNode('n2'));
  const p = makePod('p', { cpu: '1' });
  c.assumePod(p, 'n1');
  assert.ok(c.isAssumed(p));
  assert.equal(c.get('n1')!.requested.milliCPU, 1000);
  assert.throws(() => c.assumePod(p, 'n1'), CacheError);
  c.finishBinding(p);
  // The informer sees it bound (to n2, say, if someone else bound it).
  c.addPod({ ...p, spec: { ...p.spec, nodeName: 'n2' } });
  assert.ok(!c.isAssumed(p));
  assert.equal(c.get('n1')!.requested.milliCPU, 0);
  assert.equal(c.get('n2')!.requested.milliCPU, 1000);
  assert.throws(() => c.forgetPod(p), CacheError);

  const q = makePod('q', { cpu: '1' });
  c.assumePod(q, 'n1');
  c.forgetPod(q);
  assert.equal(c.get('n1')!.pods.length, 0);
  assert.equal(c.podCount(), 1);
});

test('nodes: pods may arrive first; removal keeps the list consistent', () => {
  const c = new SchedulerCache();
  c.addPod(makePod('early', { node: 'late', cpu: '1' }));
  assert.equal(c.get('late'), undefined);
  assert.equal(c.list().length, 0);
  for (const n of ['a', 'late', 'b']) c.addNode(makeNode(n));
  assert.equal(c.get('late')!.requested.milliCPU, 1000);
  c.removeNode('a');
  assert.deepEqual(c.list().map((n) => n.name).sort(), ['b', 'late']);
  assert.equal(c.get('a'), undefined);
  c.updateNode(makeNode('b', { cpu: '8' }));
  assert.equal(c.get('b')!.allocatable.milliCPU, 8000);
  assert.equal(c.list().length, 2);
});
