import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../apiserver/status.js';
import { applyServerSide, type ApplyArgs, type ApplyResult } from './apply.js';
import { applyConflictError } from './conflicts.js';
import { LAST_APPLIED_ANNOTATION } from './last-applied.js';
import type { ManagedFieldsEntry } from './managed-fields.js';
import { at, testListKeys, withAt, type Obj } from './testing.js';
import { trackUpdate } from './track-update.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const T2 = '2026-01-01T00:02:00Z';

function deployment(spec: Obj, labels: Obj = { app: 'web' }): Obj {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels }, spec };
}

function apply(current: Obj | null, applied: Obj, manager = 'kubectl', extra: Partial<ApplyArgs> = {}) {
  return applyServerSide({ current, applied, manager, force: false, apiVersion: 'apps/v1', listKeys: testListKeys, now: T0, ...extra });
}

function ok(r: ApplyResult): Obj {
  if ('conflicts' in r) assert.fail(`unexpected conflicts: ${r.conflicts.map((c) => c.field).join(', ')}`);
  return r.object;
}

const entries = (o: Obj) => at(o, 'metadata.managedFields') as ManagedFieldsEntry[];
const entry = (o: Obj, manager: string) => entries(o).find((e) => e.manager === manager);

test('apply creates the object and records an Apply entry', () => {
  const obj = ok(apply(null, deployment({ replicas: 2 })));
  assert.equal(at(obj, 'spec.replicas'), 2);
  assert.deepEqual(at(obj, 'metadata.labels'), { app: 'web' });
  assert.deepEqual(entries(obj), [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: T0,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } },
    },
  ]);
  // Upstream's key order, so the JSON reads the same.
  assert.deepEqual(Object.keys(entries(obj)[0]!), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']);
});

test('re-applying a changed value updates it and the entry time; an unchanged re-apply keeps the time', () => {
  const first = ok(apply(null, deployment({ replicas: 2 })));
  const second = apply(first, deployment({ replicas: 5 }), 'kubectl', { now: T1 });
  assert.ok('object' in second && second.changed);
  const obj2 = ok(second);
  assert.equal(at(obj2, 'spec.replicas'), 5);
  assert.equal(entry(obj2, 'kubectl')!.time, T1);
  const third = apply(obj2, deployment({ replicas: 5 }), 'kubectl', { now: T2 });
  assert.ok('object' in third && !third.changed);
  assert.equal(entry(ok(third), 'kubectl')!.time, T1);
});

test('a field the applier no longer applies is removed, unless another manager owns it', () => {
  const first = ok(apply(null, deployment({ replicas: 2, paused: false }, { app: 'web', tier: 'fe' })));
  // Another applier shares the paused field with the same value: no conflict.
  const shared = ok(apply(first, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { paused: false } }, 'other'));
  const dropped = ok(apply(shared, deployment({ replicas: 2 }, { app: 'web' }), 'kubectl', { now: T1 }));
  assert.deepEqual(at(dropped, 'metadata.labels'), { app: 'web' });
  assert.equal(at(dropped, 'spec.paused'), false, 'still owned by "other"');
  assert.deepEqual(entry(dropped, 'kubectl')!.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } });
  assert.deepEqual(entry(dropped, 'other')!.fieldsV1, { 'f:spec': { 'f:paused': {} } });
  // Dropping the last label removes the emptied map too.
  const noLabels = ok(apply(dropped, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } }));
  assert.equal(at(noLabels, 'metadata.labels'), undefined);
});

test('two appliers setting the same value share ownership without conflict', () => {
  const a = ok(apply(null, deployment({ replicas: 3 }), 'a'));
  const b = ok(apply(a, deployment({ replicas: 3 }), 'b'));
  assert.deepEqual(entry(b, 'a')!.fieldsV1, entry(b, 'b')!.fieldsV1);
  // b changed nothing, so (as upstream) its entry has no time and sorts first.
  assert.equal(entry(b, 'b')!.time, undefined);
  assert.deepEqual(
    entries(b).map((e) => e.manager),
    ['b', 'a'],
  );
});

test('a different value owned by another applier conflicts; force takes ownership', () => {
  const a = ok(apply(null, deployment({ replicas: 3 }), 'a'));
  const r = apply(a, deployment({ replicas: 5 }), 'b');
  assert.ok('conflicts' in r);
  assert.deepEqual(
    r.conflicts.map(({ manager, field, message }) => ({ manager, field, message })),
    [{ manager: 'a', field: '.spec.replicas', message: 'conflict with "a"' }],
  );
  assert.equal(applyConflictError(r.conflicts).message, 'Apply failed with 1 conflict: conflict with "a": .spec.replicas');

  const forced = ok(apply(a, deployment({ replicas: 5 }), 'b', { force: true, now: T1 }));
  assert.equal(at(forced, 'spec.replicas'), 5);
  assert.deepEqual(entry(forced, 'a')!.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:app': {} } } });
  assert.deepEqual(entry(forced, 'b')!.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } });
  // Now "a" conflicts in turn.
  const back = apply(forced, deployment({ replicas: 3 }), 'a');
  assert.ok('conflicts' in back && back.conflicts[0]!.message === 'conflict with "b"');
});

test('conflict with an Update manager names its version; the 409 carries FieldManagerConflict causes', () => {
  const created = trackUpdate({ old: null, updated: deployment({ replicas: 1, paused: true }), manager: 'kubectl-create', apiVersion: 'apps/v1', listKeys: testListKeys, now: T0 });
  const r = apply(created, deployment({ replicas: 4, paused: false }));
  assert.ok('conflicts' in r);
  const err = applyConflictError(r.conflicts);
  assert.ok(err instanceof ApiError);
  assert.equal(err.code, 409);
  assert.equal(err.reason, 'Conflict');
  assert.equal(
    err.message,
    'Apply failed with 2 conflicts: conflicts with "kubectl-create" using apps/v1:\n- .spec.paused\n- .spec.replicas',
  );
  assert.deepEqual(err.details?.causes, [
    { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-create" using apps/v1', field: '.spec.paused' },
    { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-create" using apps/v1', field: '.spec.replicas' },
  ]);
});

const pod = (containers: Obj[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers } });
const applyPod = (current: Obj | null, applied: Obj, manager = 'kubectl') =>
  applyServerSide({ current, applied, manager, force: false, apiVersion: 'v1', listKeys: testListKeys, now: T0 });

test('list-map items merge by key; an item no longer applied is removed, others stay', () => {
  const first = ok(
    applyPod(null, pod([
      { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
      { name: 'log', image: 'log:1' },
    ])),
  );
  // A second applier adds its own sidecar.
  const withSidecar = ok(applyPod(first, pod([{ name: 'proxy', image: 'proxy:1' }]), 'mesh'));
  assert.deepEqual((at(withSidecar, 'spec.containers') as Obj[]).map((c) => c.name), ['app', 'log', 'proxy']);

  const next = ok(applyPod(withSidecar, pod([{ name: 'app', image: 'app:2', env: [{ name: 'B', value: '3' }] }])));
  assert.deepEqual(at(next, 'spec.containers'), [
    { name: 'app', image: 'app:2', env: [{ name: 'B', value: '3' }] },
    { name: 'proxy', image: 'proxy:1' },
  ]);
  assert.deepEqual(entry(next, 'kubectl')!.fieldsV1, {
    'f:spec': {
      'f:containers': {
        'k:{"name":"app"}': { '.': {}, 'f:env': { 'k:{"name":"B"}': { '.': {}, 'f:name': {}, 'f:value': {} } }, 'f:image': {}, 'f:name': {} },
      },
    },
  });
});

test('list items keep the live order for unmentioned items and follow the applied order otherwise', () => {
  const first = ok(applyPod(null, pod([{ name: 'a' }, { name: 'b' }, { name: 'c' }])));
  const reordered = ok(applyPod(first, pod([{ name: 'c' }, { name: 'b' }, { name: 'a' }])));
  assert.deepEqual((at(reordered, 'spec.containers') as Obj[]).map((c) => c.name), ['c', 'b', 'a']);
});

test('atomic lists are replaced whole and owned as one field', () => {
  const tpl = (args: string[], tolerations: Obj[]) =>
    deployment({ template: { spec: { containers: [{ name: 'app', args }], tolerations } } });
  const first = ok(apply(null, tpl(['a', 'b'], [{ key: 'x' }, { key: 'y' }])));
  const next = ok(apply(first, tpl(['c'], [{ key: 'z' }])));
  assert.deepEqual(at(next, 'spec.template.spec.containers.0.args'), ['c']);
  assert.deepEqual(at(next, 'spec.template.spec.tolerations'), [{ key: 'z' }]);
  const spec = at(entry(next, 'kubectl')!.fieldsV1, 'f:spec.f:template.f:spec');
  assert.deepEqual(at(spec, 'f:tolerations'), {});
  assert.deepEqual(at(spec, 'f:containers.k:{"name":"app"}'), { '.': {}, 'f:args': {}, 'f:name': {} });
});

test('the first apply to an untracked object attributes existing fields to before-first-apply', () => {
  const untracked = deployment({ replicas: 1 });
  const r = apply(untracked, deployment({ replicas: 2 }));
  assert.ok('conflicts' in r);
  assert.equal(r.conflicts[0]!.message, 'conflict with "before-first-apply" using apps/v1');
  const forced = ok(apply(untracked, deployment({ replicas: 2 }), 'kubectl', { force: true }));
  assert.deepEqual(entry(forced, 'before-first-apply')!.fieldsV1, { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } });
});

test('upgrade from client-side apply: kubectl may change fields its last-applied annotation claims', () => {
  const lastApplied = JSON.stringify(deployment({ replicas: 1 }));
  const csa = withAt(deployment({ replicas: 1 }), 'metadata.annotations', { [LAST_APPLIED_ANNOTATION]: lastApplied });
  const created = trackUpdate({ old: null, updated: csa, manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', listKeys: testListKeys, now: T0 });
  // Another manager would conflict...
  assert.ok('conflicts' in apply(created, deployment({ replicas: 3 }), 'other'));
  // ...but kubectl takes over, and the annotation follows the applied configuration.
  const upgraded = ok(apply(created, deployment({ replicas: 3 }), 'kubectl', { now: T1 }));
  assert.equal(at(upgraded, 'spec.replicas'), 3);
  assert.equal(
    (at(upgraded, 'metadata.annotations') as Obj)[LAST_APPLIED_ANNOTATION],
    '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"replicas":3}}\n',
  );
  assert.deepEqual(entry(upgraded, 'kubectl-client-side-apply')!.fieldsV1, {
    'f:metadata': { 'f:annotations': { '.': {}, [`f:${LAST_APPLIED_ANNOTATION}`]: {} }, 'f:labels': { '.': {}, 'f:app': {} } },
  });
});

test('bad apply patches are 400s', () => {
  assert.throws(() => apply(null, { ...deployment({}), apiVersion: 'apps/v1beta1' }), (e: unknown) =>
    e instanceof ApiError && e.code === 400 && e.message === 'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1');
  const withFields = withAt(deployment({}), 'metadata.managedFields', []);
  assert.throws(() => apply(null, withFields), (e: unknown) => e instanceof ApiError && e.message === 'metadata.managedFields must be nil');
});

test('an item another applier also applies survives; only the leaving applier\'s fields inside it go', () => {
  const a = ok(applyPod(null, pod([{ name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }] }]), 'a'));
  const b = ok(applyPod(a, pod([{ name: 'app', image: 'app:1' }]), 'b'));
  const left = ok(applyPod(b, pod([]), 'a'));
  assert.deepEqual(at(left, 'spec.containers'), [{ name: 'app', image: 'app:1' }]);
  assert.equal(entries(left).find((e) => e.manager === 'a'), undefined, 'an empty set drops the entry');
});

test('set lists merge by value; ports match live items whose protocol was defaulted', () => {
  const withFinalizers = (finalizers: string[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', finalizers }, spec: {} });
  const a = ok(applyPod(null, withFinalizers(['x']), 'a'));
  const b = ok(applyPod(a, withFinalizers(['y', 'x']), 'b'));
  assert.deepEqual(at(b, 'metadata.finalizers'), ['y', 'x']);
  assert.deepEqual(entry(b, 'b')!.fieldsV1['f:metadata'], { 'f:finalizers': { 'v:"x"': {}, 'v:"y"': {} } });

  const created = ok(applyPod(null, pod([{ name: 'app', ports: [{ containerPort: 80 }] }])));
  // As defaulting leaves it: protocol set, owned by no one.
  const live = withAt(created, 'spec.containers.0.ports.0.protocol', 'TCP');
  const next = ok(applyPod(live, pod([{ name: 'app', ports: [{ containerPort: 80, name: 'http' }] }])));
  assert.deepEqual(at(next, 'spec.containers.0.ports'), [{ containerPort: 80, protocol: 'TCP', name: 'http' }]);
  assert.deepEqual(Object.keys(at(entry(next, 'kubectl')!.fieldsV1, 'f:spec.f:containers.k:{"name":"app"}.f:ports') as Obj), ['k:{"containerPort":80,"protocol":"TCP"}']);
});

test('conflicts inside list items print the item key; applied nulls for server metadata are ignored', () => {
  const a = ok(applyPod(null, pod([{ name: 'app', env: [{ name: 'A', value: '1' }] }]), 'a'));
  const r = applyPod(a, pod([{ name: 'app', env: [{ name: 'A', value: '2' }] }]), 'b');
  assert.ok('conflicts' in r);
  assert.deepEqual(r.conflicts.map((c) => c.field), ['.spec.containers[name="app"].env[name="A"].value']);

  const live = withAt(a, 'metadata.creationTimestamp', T0);
  const again = ok(applyPod(live, { ...pod([{ name: 'app', env: [{ name: 'A', value: '1' }] }]), metadata: { name: 'p', creationTimestamp: null } }, 'a'));
  assert.equal(at(again, 'metadata.creationTimestamp'), T0);
});

test('selectors are atomic by default: owned and conflicting as one field', () => {
  const a = ok(apply(null, deployment({ selector: { matchLabels: { app: 'web' } } }), 'a'));
  assert.deepEqual(entry(a, 'a')!.fieldsV1['f:spec'], { 'f:selector': {} });
  const r = apply(a, deployment({ selector: { matchLabels: { app: 'web', tier: 'x' } } }), 'b');
  assert.ok('conflicts' in r);
  assert.deepEqual(r.conflicts.map((c) => c.field), ['.spec.selector']);
  // Atomic: the applied selector replaces the live one rather than merging into it.
  const forced = ok(apply(a, deployment({ selector: { matchExpressions: [] } }), 'b', { force: true }));
  assert.deepEqual(at(forced, 'spec.selector'), { matchExpressions: [] });
});
