// Deterministic, varied inputs for trackUpdate's equivalence test: pods and
// deployments with keyed lists, maps, sets, atomic selectors, nulls and empty
// values, and chains of updates by several managers. The expected outputs in
// testdata/track-update-fixtures.json were recorded from the original
// (pre-optimisation) implementation; regenerate only when behaviour is meant
// to change: `node dist/src/api/apply/track-update-cases.js --write`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listKeysFor } from '../../apiserver/managed-fields.js';
import { FieldSet } from './field-set.js';
import { fieldElement } from './path-element.js';
import { isObject, type ListKeys } from './schema.js';
import { testListKeys, type Obj } from './testing.js';
import { trackUpdate } from './track-update.js';
import { seededRandom, type Rand } from '../../testing/seeded-random.js';

export const fixtureFile = fileURLToPath(new URL('../../../../src/api/apply/testdata/track-update-fixtures.json', import.meta.url));

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: Rand, p: number) => r() < p;
const int = (r: Rand, n: number) => Math.floor(r() * n);

function maybe<T>(r: Rand, p: number, make: () => T): T | undefined {
  return chance(r, p) ? make() : undefined;
}

/** Drops undefined properties so the objects look like decoded JSON. */
function clean(o: Obj): Obj {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function labels(r: Rand): Obj | undefined {
  if (chance(r, 0.15)) return {};
  if (chance(r, 0.2)) return undefined;
  const out: Obj = {};
  for (let i = 0; i < 1 + int(r, 4); i++) out[pick(r, ['app', 'tier', 'shard', 'team', 'a.b/c', 'x'])] = pick(r, ['web', 'db', '1', '', 'z']);
  return out;
}

function container(r: Rand, i: number): Obj {
  return clean({
    name: chance(r, 0.05) ? undefined : chance(r, 0.9) ? `c${i}` : `c${i % 2}`,
    image: pick(r, ['nginx', 'busybox:1.35', 'redis']),
    ports: maybe(r, 0.5, () =>
      chance(r, 0.1) ? [] : Array.from({ length: 1 + int(r, 3) }, (_, j) => clean({ containerPort: 80 + j * int(r, 3), protocol: maybe(r, 0.5, () => pick(r, ['TCP', 'UDP'])), name: maybe(r, 0.5, () => `p${j}`) })),
    ),
    env: maybe(r, 0.5, () =>
      Array.from({ length: int(r, 4) }, (_, j) =>
        clean({ name: `E${j % 3}`, value: maybe(r, 0.7, () => pick(r, ['1', '', 'x'])), valueFrom: maybe(r, 0.2, () => ({ fieldRef: { fieldPath: 'metadata.name' } })) }),
      ),
    ),
    resources: maybe(r, 0.6, () => (chance(r, 0.2) ? {} : clean({ requests: maybe(r, 0.8, () => (chance(r, 0.2) ? {} : { cpu: '10m', memory: pick(r, ['16Mi', '32Mi']) })), limits: maybe(r, 0.4, () => ({ cpu: '1' })) }))),
    command: maybe(r, 0.3, () => (chance(r, 0.2) ? [] : ['sh', '-c', pick(r, ['sleep 1', 'true'])])),
    args: maybe(r, 0.1, () => null),
    securityContext: maybe(r, 0.2, () => ({})),
  });
}

function podSpec(r: Rand, node: boolean): Obj {
  return clean({
    containers: Array.from({ length: int(r, 4) }, (_, i) => container(r, i)),
    initContainers: maybe(r, 0.1, () => [container(r, 9)]),
    nodeName: node ? maybe(r, 0.5, () => `node-${int(r, 3)}`) : undefined,
    nodeSelector: maybe(r, 0.3, () => (chance(r, 0.3) ? {} : { disk: pick(r, ['ssd', 'hdd']) })),
    restartPolicy: maybe(r, 0.7, () => 'Always'),
    tolerations: maybe(r, 0.4, () => [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: int(r, 2) * 300 }]),
    volumes: maybe(r, 0.3, () => [{ name: 'v', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cm', items: [{ key: 'a', path: 'b' }] } }]),
    securityContext: maybe(r, 0.5, () => ({})),
    dnsConfig: maybe(r, 0.1, () => null),
    priority: maybe(r, 0.5, () => int(r, 2)),
    enableServiceLinks: maybe(r, 0.5, () => chance(r, 0.5)),
  });
}

function meta(r: Rand, name: string): Obj {
  return clean({
    name,
    namespace: 'ns',
    uid: 'u',
    creationTimestamp: '2026-01-01T00:00:00Z',
    resourceVersion: maybe(r, 0.5, () => String(int(r, 100))),
    generation: maybe(r, 0.3, () => 1),
    labels: labels(r),
    annotations: maybe(r, 0.3, () => (chance(r, 0.2) ? {} : { note: pick(r, ['a', 'b']), 'kubectl.kubernetes.io/last-applied-configuration': '{}' })),
    finalizers: maybe(r, 0.2, () => (chance(r, 0.3) ? [] : ['a/b', pick(r, ['c/d', 'e/f'])])),
    ownerReferences: maybe(r, 0.2, () => [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'r1', controller: true }]),
  });
}

function pod(r: Rand, i: number): Obj {
  return clean({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(r, `p${i}`),
    spec: podSpec(r, true),
    status: maybe(r, 0.4, () => clean({ phase: pick(r, ['Pending', 'Running']), conditions: maybe(r, 0.5, () => [{ type: 'Ready', status: 'True' }]), podIP: maybe(r, 0.3, () => null) })),
  });
}

function deployment(r: Rand, i: number): Obj {
  return clean({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(r, `d${i}`),
    spec: clean({
      replicas: maybe(r, 0.8, () => int(r, 4)),
      selector: maybe(r, 0.8, () => ({ matchLabels: { app: pick(r, ['web', 'db']) }, matchExpressions: chance(r, 0.3) ? [] : undefined })),
      template: { metadata: clean({ labels: labels(r) }), spec: podSpec(r, false) },
      strategy: maybe(r, 0.3, () => ({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } })),
    }),
  });
}

/** Loose JSON that follows no schema: nested maps, lists, nulls, empties. */
function loose(r: Rand, depth: number): unknown {
  const k = int(r, depth > 2 ? 4 : 7);
  switch (k) {
    case 0:
      return null;
    case 1:
      return int(r, 3);
    case 2:
      return pick(r, ['', 'a', 'b']);
    case 3:
      return chance(r, 0.5);
    case 4:
      return chance(r, 0.3) ? [] : Array.from({ length: 1 + int(r, 3) }, () => loose(r, depth + 1));
    default: {
      if (chance(r, 0.2)) return {};
      const o: Obj = {};
      for (let j = 0; j < 1 + int(r, 4); j++) o[pick(r, ['a', 'b', 'c', 'spec', 'items', 'data'])] = loose(r, depth + 1);
      return o;
    }
  }
}

function looseObject(r: Rand, i: number): Obj {
  const o: Obj = { apiVersion: 'example.com/v1', kind: 'Thing', metadata: meta(r, `t${i}`) };
  for (let j = 0; j < int(r, 4); j++) o[pick(r, ['spec', 'status', 'data', 'items', 'x'])] = loose(r, 0);
  return o;
}

/** A changed copy: a label, an image, a container, an env var, a null, a type change... */
function mutate(r: Rand, obj: Obj): Obj {
  const o = structuredClone(obj) as Obj;
  const m = (o.metadata ?? {}) as Obj;
  const spec = (isObject(o.spec) ? o.spec : {}) as Obj;
  const podSpecOf = ((spec.template as Obj | undefined)?.spec as Obj | undefined) ?? spec;
  const containers = Array.isArray(podSpecOf.containers) ? (podSpecOf.containers as Obj[]) : undefined;
  for (let n = 0; n < 1 + int(r, 3); n++) {
    switch (int(r, 12)) {
      case 0:
        m.labels = { ...((m.labels as Obj) ?? {}), [pick(r, ['app', 'new', 'x'])]: pick(r, ['v2', 'web']) };
        break;
      case 1:
        delete m.labels;
        break;
      case 2:
        if (isObject(containers?.[0])) containers[0].image = pick(r, ['nginx:2', 'redis:7']);
        break;
      case 3:
        if (containers && containers.length > 0) containers.splice(int(r, containers.length), 1);
        break;
      case 4:
        if (containers) containers.push(container(r, containers.length + 5));
        break;
      case 5:
        if (isObject(containers?.[0])) containers[0].env = [{ name: 'NEW', value: 'x' }, ...(((containers[0].env as Obj[]) ?? []))];
        break;
      case 6:
        spec.replicas = chance(r, 0.3) ? null : int(r, 9);
        break;
      case 7:
        o.status = chance(r, 0.5) ? { phase: 'Running' } : 'weird';
        break;
      case 8:
        if (isObject(containers?.[0])) containers[0].ports = chance(r, 0.5) ? [] : [{ containerPort: 8080 }];
        break;
      case 9:
        m.annotations = chance(r, 0.5) ? {} : { note: 'changed' };
        break;
      case 10:
        if (o.kind === 'Thing') o[pick(r, ['spec', 'data', 'x'])] = loose(r, 0);
        else spec.nodeSelector = chance(r, 0.5) ? { disk: 'nvme' } : null;
        break;
      default:
        m.finalizers = chance(r, 0.5) ? ['z/z'] : [];
    }
  }
  if (o.metadata === undefined && Object.keys(m).length > 0) o.metadata = m;
  return o;
}

export interface Step {
  updated: Obj;
  manager: string;
  apiVersion: string;
  now: string;
  subresource?: string;
  /** 'status' ignores status on the main resource; 'main' ignores everything but status on /status. */
  ignore?: 'status' | 'main';
  /** managedFields the client sends with the write (garbage, a reset, or entries). */
  sent?: unknown;
  /** Use the default (pod/deployment) map types or everything-is-a-struct. */
  structs?: boolean;
}

export interface Case {
  name: string;
  listKeys: 'pod' | 'deployment' | 'test';
  /** A create (old = null) followed by updates, each applied to the previous result. */
  steps: Step[];
}

const MANAGERS = ['kubectl-create', 'kubectl-edit', 'controller', 'kubelet', 'scheduler', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11'];
const time = (i: number) => `2026-01-01T00:${String(i % 60).padStart(2, '0')}:00Z`;

export function buildCases(count = 240): Case[] {
  const r = seededRandom(42);
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 3;
    const base = kind === 0 ? pod(r, i) : kind === 1 ? deployment(r, i) : looseObject(r, i);
    const steps: Step[] = [{ updated: base, manager: pick(r, MANAGERS), apiVersion: base.apiVersion as string, now: time(0) }];
    let cur = base;
    const updates = i % 7 === 0 ? 13 : int(r, 4);
    for (let u = 1; u <= updates; u++) {
      cur = mutate(r, cur);
      const step: Step = { updated: cur, manager: pick(r, MANAGERS), apiVersion: pick(r, [base.apiVersion as string, 'v9']), now: time(u * (1 + int(r, 2))) };
      if (chance(r, 0.2)) {
        step.subresource = 'status';
        step.ignore = 'main';
      } else if (chance(r, 0.3)) step.ignore = 'status';
      if (chance(r, 0.1)) step.sent = pick(r, [[], [{}], 'garbage', [{ manager: 'x', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} } } }]]);
      if (chance(r, 0.1)) step.structs = true;
      steps.push(step);
    }
    cases.push({ name: `case-${i}-${base.kind as string}`, listKeys: kind === 0 ? 'pod' : kind === 1 ? 'deployment' : 'test', steps });
  }
  return cases;
}

const IGNORE_STATUS = FieldSet.of([fieldElement('status')]);
const IGNORE_MAIN = FieldSet.of([fieldElement('spec')], [fieldElement('metadata')]);

function listKeysOf(c: Case): ListKeys {
  if (c.listKeys === 'pod') return listKeysFor('v1', 'Pod');
  if (c.listKeys === 'deployment') return listKeysFor('apps/v1', 'Deployment');
  return testListKeys;
}

/** Runs a case through trackUpdate; returns each step's managedFields. */
export function runCase(c: Case, track = trackUpdate): unknown[] {
  const listKeys = listKeysOf(c);
  const out: unknown[] = [];
  let old: Obj | null = null;
  for (const s of c.steps) {
    let updated = s.updated;
    if (s.sent !== undefined) updated = { ...updated, metadata: { ...((updated.metadata as Obj) ?? {}), managedFields: s.sent } };
    else if (old) updated = { ...updated, metadata: { ...((updated.metadata as Obj) ?? {}), managedFields: (old.metadata as Obj | undefined)?.managedFields } };
    const next = track({
      old,
      updated,
      manager: s.manager,
      apiVersion: s.apiVersion,
      listKeys,
      now: s.now,
      ...(s.subresource ? { subresource: s.subresource } : {}),
      ...(s.ignore ? { ignored: s.ignore === 'status' ? IGNORE_STATUS : IGNORE_MAIN } : {}),
      ...(s.structs ? { mapType: () => 'struct' as const } : {}),
    });
    out.push((next.metadata as Obj | undefined)?.managedFields ?? null);
    old = next;
  }
  return out;
}

if (process.argv.includes('--write')) {
  const fixtures = Object.fromEntries(buildCases().map((c) => [c.name, runCase(c)]));
  writeFileSync(fixtureFile, JSON.stringify(fixtures) + '\n');
  console.log(`wrote ${Object.keys(fixtures).length} cases to ${fixtureFile}`);
}
