import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ManagedFieldsEntry } from './managed-fields.js';
import { at, testListKeys, withAt, type Obj } from './testing.js';
import { trackUpdate, type TrackUpdateArgs } from './track-update.js';
import { FieldSet } from './field-set.js';
import { fieldElement } from './path-element.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';

const deployment = (labels: Obj, replicas = 1): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '5', labels },
  spec: { replicas, template: { spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
});

const track = (old: Obj | null, updated: Obj, manager: string, extra: Partial<TrackUpdateArgs> = {}): Obj =>
  trackUpdate({ old, updated, manager, apiVersion: 'apps/v1', listKeys: testListKeys, now: T0, ...extra });
const entries = (o: Obj) => at(o, 'metadata.managedFields') as ManagedFieldsEntry[];

test('create records every field for the creating manager as an Update', () => {
  const created = track(null, deployment({ app: 'web' }), 'kubectl-create');
  assert.deepEqual(entries(created), [
    {
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: T0,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
        },
      },
    },
  ]);
});

test('kubectl label gets its own Update entry and takes the labels it changes', () => {
  const created = track(null, deployment({ app: 'web' }), 'kubectl-create');
  const relabeled = withAt(created, 'metadata.labels', { app: 'api', env: 'prod' });
  const labeled = track(created, relabeled, 'kubectl-label', { now: T1 });
  assert.deepEqual(
    entries(labeled).map((e) => [e.manager, e.time, e.fieldsV1['f:metadata']]),
    [
      ['kubectl-create', T0, { 'f:labels': {} }], // still owns the map itself
      ['kubectl-label', T1, { 'f:labels': { 'f:app': {}, 'f:env': {} } }],
    ],
  );
  // Removing a label takes it from its owner, and a write that only removes creates no entry.
  const unlabeled = track(labeled, withAt(labeled, 'metadata.labels', { app: 'api' }), 'kubectl-edit');
  assert.deepEqual(entries(unlabeled).find((e) => e.manager === 'kubectl-label')!.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:app': {} } } });
  assert.equal(entries(unlabeled).find((e) => e.manager === 'kubectl-edit'), undefined);
});

test('the same manager writing again merges into its entry and refreshes its time', () => {
  const created = track(null, deployment({ app: 'web' }), 'kubectl-edit');
  const edited = track(created, withAt(created, 'spec.replicas', 3), 'kubectl-edit', { now: T1 });
  assert.equal(entries(edited).length, 1);
  assert.equal(entries(edited)[0]!.time, T1);
});

test('writes to objects that were never tracked stay untracked; managedFields: [] resets them', () => {
  const untracked = deployment({ app: 'web' });
  assert.equal(at(track(untracked, deployment({ app: 'x' }), 'kubectl-edit'), 'metadata.managedFields'), undefined);
  const created = track(null, deployment({ app: 'web' }), 'kubectl-create');
  const reset = withAt(created, 'metadata.managedFields', []);
  assert.equal(at(track(created, reset, 'kubectl-edit'), 'metadata.managedFields'), undefined);
});

test('ignored (reset) fields are never tracked', () => {
  const obj = { ...deployment({ app: 'web' }), status: { replicas: 1 } };
  const created = track(null, obj, 'kubectl-create', { ignored: FieldSet.of([fieldElement('status')]) });
  assert.equal(entries(created)[0]!.fieldsV1['f:status'], undefined);
});

test('more than ten updaters: the oldest fold into ancient-changes', () => {
  let obj = track(null, deployment({ app: 'web' }), 'creator');
  for (let i = 0; i < 11; i++) {
    obj = track(obj, withAt(obj, `metadata.labels.l${i}`, 'x'), `m${i}`, { now: `2026-01-01T01:${String(i).padStart(2, '0')}:00Z` });
  }
  const names = entries(obj).map((e) => e.manager);
  assert.equal(names.length, 10);
  assert.ok(names.includes('ancient-changes'));
  assert.ok(!names.includes('creator') && !names.includes('m0') && names.includes('m10'));
});

test('managedFields a client sends (kubectl\'s client-side to server-side migration patch) replace the stored ones', () => {
  const created = track(null, deployment({ app: 'web' }), 'kubectl-client-side-apply');
  const migrated = entries(created).map((e) => ({ ...e, manager: 'kubectl', operation: 'Apply' }));
  const patched = track(created, withAt(created, 'metadata.managedFields', migrated), 'kubectl-client-side-apply', { now: T1 });
  assert.deepEqual(
    entries(patched).map((e) => [e.manager, e.operation, e.time]),
    [['kubectl', 'Apply', T0]],
  );
});
