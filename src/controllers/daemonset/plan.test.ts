import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Pod } from '../../client/types.js';
import { nodeShouldRunDaemonPod, matchesNodeSelectorTerms } from './node-eligibility.js';
import { newDaemonPod } from './pod-template.js';
import { planDaemonSet, scaledValue } from './plan.js';
import { defaultDaemonTolerations, toleratesTaint } from './tolerations.js';
import type { DaemonSet } from './types.js';

const node = (name: string, labels: Record<string, string> = {}, taints?: { key: string; effect: string }[]): Node =>
  ({ metadata: { name, labels }, spec: taints ? { taints } : {} }) as Node;
const ds = (spec: Partial<DaemonSet['spec']> = {}): DaemonSet => ({
  metadata: { name: 'd', namespace: 'ns', uid: 'u', generation: 1 },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [] } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, ...spec },
});
let n = 0;
const ready = (p: Pod, hash: string): Pod => ({
  ...p,
  metadata: { ...p.metadata, name: `p${n++}`, creationTimestamp: `2024-01-01T00:00:${String(n % 60).padStart(2, '0')}Z`, labels: { ...p.metadata.labels, 'controller-revision-hash': hash } },
  spec: { ...p.spec!, nodeName: (p.spec?.affinity as { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchFields: { values: string[] }[] }[] } } }).nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]!.matchFields[0]!.values[0]! },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});

describe('tolerations and eligibility', () => {
  it('matches taints as upstream', () => {
    assert.ok(toleratesTaint({ operator: 'Exists' }, { key: 'x', effect: 'NoSchedule' }));
    assert.ok(toleratesTaint({ key: 'x', operator: 'Equal', value: 'v' }, { key: 'x', value: 'v', effect: 'NoExecute' }));
    assert.ok(!toleratesTaint({ key: 'x', operator: 'Equal', value: 'v', effect: 'NoSchedule' }, { key: 'x', value: 'v', effect: 'NoExecute' }));
    assert.equal(defaultDaemonTolerations(true).length, 7);
  });

  it('NoSchedule stops new pods but keeps running ones; NoExecute evicts', () => {
    const spec = { containers: [] };
    const t = defaultDaemonTolerations(false);
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', {}, [{ key: 'k', effect: 'NoSchedule' }]), spec, t), { shouldRun: false, shouldContinueRunning: true });
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', {}, [{ key: 'k', effect: 'NoExecute' }]), spec, t), { shouldRun: false, shouldContinueRunning: false });
    assert.deepEqual(nodeShouldRunDaemonPod(node('a', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), spec, t), { shouldRun: true, shouldContinueRunning: true });
    assert.equal(nodeShouldRunDaemonPod(node('a', { z: '1' }), { containers: [], nodeSelector: { z: '2' } }, t).shouldRun, false);
  });

  it('evaluates node selector terms (ORed terms, ANDed requirements, Gt/Lt)', () => {
    const terms = [{ matchExpressions: [{ key: 'cpu', operator: 'Gt' as const, values: ['4'] }, { key: 'arch', operator: 'In' as const, values: ['amd64'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: ['special'] }] }];
    assert.ok(matchesNodeSelectorTerms(terms, node('x', { cpu: '8', arch: 'amd64' })));
    assert.ok(!matchesNodeSelectorTerms(terms, node('x', { cpu: '2', arch: 'amd64' })));
    assert.ok(matchesNodeSelectorTerms(terms, node('special')));
  });
});

describe('planDaemonSet', () => {
  const nodes = [node('a'), node('b'), node('c')];
  it('creates for nodes without a pod and deletes extra pods', () => {
    const d = ds();
    const pa = ready(newDaemonPod(d, 'a', 'h1'), 'h1');
    const pa2 = ready(newDaemonPod(d, 'a', 'h1'), 'h1');
    const p = planDaemonSet({ ds: d, nodes, pods: [pa, pa2], hash: 'h1', nowMs: 0 });
    assert.deepEqual(p.create, ['b', 'c']);
    assert.deepEqual(p.remove, [pa2]);
  });

  it('rolling update deletes at most maxUnavailable available old pods', () => {
    const d = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } });
    const pods = nodes.map((x) => ready(newDaemonPod(d, x.metadata.name!, 'old'), 'old'));
    const p = planDaemonSet({ ds: d, nodes, pods, hash: 'new', nowMs: 0 });
    assert.equal(p.remove.length, 2);
    assert.equal(p.status.updatedNumberScheduled, 0);
    assert.equal(planDaemonSet({ ds: ds({ updateStrategy: { type: 'OnDelete' } }), nodes, pods, hash: 'new', nowMs: 0 }).remove.length, 0);
  });

  it('surge creates new pods on up to maxSurge nodes first', () => {
    const d = ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '50%' } } });
    const pods = nodes.map((x) => ready(newDaemonPod(d, x.metadata.name!, 'old'), 'old'));
    const p = planDaemonSet({ ds: d, nodes, pods, hash: 'new', nowMs: 0 });
    assert.deepEqual(p.create, ['a', 'b']);
    assert.equal(p.remove.length, 0);
  });

  it('scales percentages up', () => {
    assert.equal(scaledValue('25%', 3), 1);
    assert.equal(scaledValue('50%', 3), 2);
    assert.equal(scaledValue(2, 10), 2);
  });
});
