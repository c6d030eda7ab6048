import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchError } from './errors.js';
import { patchMetaFor, patchMetaForDefinition, type PatchMeta } from './patch-meta.js';
import { applyStrategicMergePatch } from './strategic-merge.js';

type Obj = Record<string, unknown>;

const deploymentMeta = patchMetaFor('apps/v1', 'Deployment')!;
const podMeta = patchMetaFor('v1', 'Pod')!;

function deployment(containers: Obj[], extra: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers, ...extra } },
    },
  };
}

const podSpec = (d: Obj) => ((d.spec as Obj).template as Obj).spec as Obj;
const containersOf = (d: Obj) => podSpec(d).containers as Obj[];

function smp(original: unknown, patch: unknown, schema: PatchMeta = deploymentMeta): Obj {
  return applyStrategicMergePatch<Obj>(original, patch, schema);
}

function failsWith(fn: () => unknown, status: number, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PatchError, `expected PatchError, got ${String(e)}`);
    assert.equal(e.status, status);
    assert.match(e.message, message);
    return true;
  });
}

describe('strategic merge patch: maps', () => {
  it('merges maps recursively and deletes keys set to null', () => {
    const out = smp(
      { metadata: { name: 'a', labels: { x: '1', y: '2' } }, spec: { replicas: 1 } },
      { metadata: { labels: { y: null, z: '3' } }, spec: { replicas: 3, paused: true } },
    );
    assert.deepEqual(out, { metadata: { name: 'a', labels: { x: '1', z: '3' } }, spec: { replicas: 3, paused: true } });
  });

  it('does not modify its inputs', () => {
    const original = deployment([{ name: 'app', image: 'a:1' }]);
    const patch = { spec: { template: { spec: { containers: [{ name: 'app', image: 'a:2' }] } } } };
    const o = JSON.stringify(original);
    const p = JSON.stringify(patch);
    smp(original, patch);
    assert.equal(JSON.stringify(original), o);
    assert.equal(JSON.stringify(patch), p);
  });

  it('ignores nulls for absent keys and drops nulls inside added values', () => {
    const out = smp({ a: 1 }, { b: null, c: { d: null, e: 1 } }, patchMetaForDefinition(undefined));
    assert.deepEqual(out, { a: 1, c: { e: 1 } });
  });

  it('replaces a value of another type', () => {
    assert.deepEqual(smp({ a: { b: 1 } }, { a: 'x' }, patchMetaForDefinition(undefined)), { a: 'x' });
    assert.deepEqual(smp({ a: 'x' }, { a: { b: 1, c: null } }, patchMetaForDefinition(undefined)), { a: { b: 1 } });
  });

  it('honours $patch: replace and $patch: delete in maps', () => {
    const original = { metadata: { labels: { a: '1', b: '2' } } };
    assert.deepEqual(smp(original, { metadata: { labels: { $patch: 'replace', c: '3' } } }), { metadata: { labels: { c: '3' } } });
    assert.deepEqual(smp(original, { metadata: { labels: { $patch: 'delete' } } }), { metadata: { labels: {} } });
    assert.deepEqual(smp(original, { metadata: { labels: { $patch: 'merge', c: '3' } } }), {
      metadata: { labels: { a: '1', b: '2', c: '3' } },
    });
    assert.deepEqual(smp(original, { $patch: 'replace', kind: 'X' }), { kind: 'X' });
    assert.deepEqual(smp({ a: 1 }, { b: { $patch: 'delete' } }, patchMetaForDefinition(undefined)), { a: 1 });
    failsWith(() => smp(original, { metadata: { $patch: 'bogus' } }), 500, /^unknown patch type: bogus in map/);
  });
});

describe('strategic merge patch: what kubectl sends', () => {
  it('kubectl set image changes one container in place', () => {
    const original = deployment([
      { name: 'app', image: 'app:1', ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'proxy:1' },
    ]);
    const out = smp(original, { spec: { template: { spec: { containers: [{ image: 'app:2', name: 'app' }] } } } });
    assert.deepEqual(containersOf(out), [
      { name: 'app', image: 'app:2', ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'proxy:1' },
    ]);
  });

  it('kubectl rollout restart adds the restartedAt annotation to the template', () => {
    const original = deployment([{ name: 'app', image: 'app:1' }]);
    const at = '2025-01-02T03:04:05Z';
    const out = smp(original, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } });
    const tmpl = (out.spec as Obj).template as Obj;
    assert.deepEqual(tmpl.metadata, { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': at } });
    assert.deepEqual(containersOf(out), [{ name: 'app', image: 'app:1' }]);
  });

  it('client-side apply removes an env var', () => {
    const original = deployment([
      { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
    ]);
    const patch = JSON.parse(
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"$setElementOrder/env":[{"name":"A"}],"env":[{"$patch":"delete","name":"B"}],"name":"app"}]}}}}',
    );
    assert.deepEqual(containersOf(smp(original, patch)), [{ name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }] }]);
  });

  it('client-side apply removes a container', () => {
    const original = deployment([
      { name: 'app', image: 'app:1' },
      { name: 'sidecar', image: 'proxy:1' },
    ]);
    const patch = JSON.parse(
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"$patch":"delete","name":"sidecar"}]}}}}',
    );
    assert.deepEqual(containersOf(smp(original, patch)), [{ name: 'app', image: 'app:1' }]);
  });

  it('client-side apply adds a container in the order of $setElementOrder', () => {
    const original = deployment([{ name: 'app', image: 'app:1' }]);
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }],
            containers: [{ name: 'sidecar', image: 'proxy:1' }],
          },
        },
      },
    };
    assert.deepEqual(
      containersOf(smp(original, patch)).map((c) => c.name),
      ['app', 'sidecar'],
    );
    const reordered = smp(original, {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }], containers: [{ name: 'sidecar', image: 'p' }] } } },
    });
    assert.deepEqual(containersOf(reordered).map((c) => c.name), ['sidecar', 'app']);
  });

  it('puts new list items before live-only ones when no order is given, as upstream', () => {
    const original = deployment([{ name: 'a' }, { name: 'b' }]);
    const out = smp(original, { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    assert.deepEqual(containersOf(out).map((c) => c.name), ['c', 'a', 'b']);
    const out2 = smp(original, { spec: { template: { spec: { containers: [{ name: 'b', image: 'x' }, { name: 'c' }] } } } });
    assert.deepEqual(containersOf(out2).map((c) => c.name), ['a', 'b', 'c']);
  });

  it('client-side apply swaps a container port (numeric merge key)', () => {
    const original = deployment([{ name: 'app', image: 'app:1', ports: [{ containerPort: 80, protocol: 'TCP' }] }]);
    const patch = JSON.parse(
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"$setElementOrder/ports":[{"containerPort":8080}],"name":"app","ports":[{"containerPort":8080},{"$patch":"delete","containerPort":80}]}]}}}}',
    );
    assert.deepEqual(containersOf(smp(original, patch))[0]!.ports, [{ containerPort: 8080 }]);
  });

  it('client-side apply of a Service replaces one port and keeps the rest in order', () => {
    const svc = { spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }] } };
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      spec: {
        '$setElementOrder/ports': [{ port: 8443 }, { port: 443 }],
        ports: [{ name: 'alt', port: 8443, targetPort: 9443 }, { $patch: 'delete', port: 80 }],
      },
    };
    const out = smp(svc, patch, patchMetaFor('v1', 'Service')!);
    assert.deepEqual(out, {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      spec: { ports: [{ name: 'alt', port: 8443, targetPort: 9443 }, { name: 'https', port: 443, targetPort: 8443 }] },
    });
  });

  it('$setElementOrder orders a list the live object lacks, and scalar lists', () => {
    const out = smp(
      { metadata: { name: 'p' } },
      { metadata: { '$setElementOrder/finalizers': ['b', 'a'], finalizers: ['b', 'a'] } },
      podMeta,
    );
    assert.deepEqual((out.metadata as Obj).finalizers, ['b', 'a']);
    failsWith(
      () => smp({}, { metadata: { '$setElementOrder/finalizers': ['b', 'a'], finalizers: ['a', 'b'] } }, podMeta),
      500,
      /^The order in patch list:\n\[a b\]\n doesn't match \$setElementOrder list:\n\[b a\]\n$/,
    );
    const reorder = smp({ metadata: { finalizers: ['a', 'b', 'c'] } }, { metadata: { '$setElementOrder/finalizers': ['c', 'a'] } }, podMeta);
    // Live-only items keep their live position relative to the ordered ones (upstream's interleaving).
    assert.deepEqual((reorder.metadata as Obj).finalizers, ['b', 'c', 'a']);
  });

  it('$retainKeys switches the deployment strategy to Recreate', () => {
    const original = deployment([{ name: 'app' }]);
    const patch = { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } };
    assert.deepEqual((smp(original, patch).spec as Obj).strategy, { type: 'Recreate' });
    const back = { spec: { strategy: { $retainKeys: ['rollingUpdate', 'type'], rollingUpdate: { maxSurge: 1 }, type: 'RollingUpdate' } } };
    assert.deepEqual((smp({ spec: { strategy: { type: 'Recreate' } } }, back).spec as Obj).strategy, {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1 },
    });
  });

  it('$retainKeys swaps a volume source', () => {
    const original = deployment([{ name: 'app' }], { volumes: [{ name: 'data', emptyDir: {} }, { name: 'other', emptyDir: {} }] });
    const patch = {
      spec: { template: { spec: { volumes: [{ $retainKeys: ['configMap', 'name'], name: 'data', configMap: { name: 'cm' } }] } } },
    };
    assert.deepEqual(podSpec(smp(original, patch)).volumes, [
      { name: 'data', configMap: { name: 'cm' } },
      { name: 'other', emptyDir: {} },
    ]);
  });

  it('rejects patch keys missing from $retainKeys', () => {
    failsWith(() => smp({ spec: { strategy: {} } }, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }), 400, /^invalid patch format of retainKeys$/);
    failsWith(() => smp({}, { spec: { strategy: { $retainKeys: 'type' } } }), 400, /retainKeys/);
  });
});

describe('strategic merge patch: lists', () => {
  const pod = (finalizers: string[]) => ({ metadata: { name: 'p', finalizers } });

  it('merges finalizers as a set', () => {
    const out = smp(pod(['a', 'b']), { metadata: { finalizers: ['b', 'c'] } }, podMeta);
    assert.deepEqual((out.metadata as Obj).finalizers, ['a', 'b', 'c']);
    const fresh = smp({ metadata: { name: 'p' } }, { metadata: { finalizers: ['x'] } }, podMeta);
    assert.deepEqual((fresh.metadata as Obj).finalizers, ['x']);
  });

  it('removes finalizers with $deleteFromPrimitiveList', () => {
    const out = smp(pod(['a', 'b', 'c']), { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'zzz'] } }, podMeta);
    assert.deepEqual((out.metadata as Obj).finalizers, ['a', 'c']);
    const apply = smp(
      pod(['a', 'b']),
      { metadata: { '$setElementOrder/finalizers': ['b', 'c'], '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['c'] } },
      podMeta,
    );
    assert.deepEqual((apply.metadata as Obj).finalizers, ['b', 'c']);
    const none = smp({ metadata: {} }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, podMeta);
    assert.deepEqual(none, { metadata: {} }, 'deleting from a missing list adds nothing');
    failsWith(() => smp(pod(['a']), { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, podMeta), 400, /primitive list/);
  });

  it('replaces lists without a merge strategy', () => {
    const original = deployment([{ name: 'app', envFrom: [{ configMapRef: { name: 'a' } }], args: ['x', 'y'] }], {
      tolerations: [{ key: 'a', operator: 'Exists' }],
    });
    const out = smp(original, {
      spec: {
        template: {
          spec: {
            tolerations: [{ key: 'b', operator: 'Exists' }],
            containers: [{ name: 'app', envFrom: [{ secretRef: { name: 's' } }], args: ['z'] }],
          },
        },
      },
    });
    assert.deepEqual(podSpec(out).tolerations, [{ key: 'b', operator: 'Exists' }]);
    assert.deepEqual(containersOf(out)[0], { name: 'app', envFrom: [{ secretRef: { name: 's' } }], args: ['z'] });
  });

  it('merges container ports by containerPort and service ports by port', () => {
    const original = deployment([{ name: 'app', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }]);
    const out = smp(original, { spec: { template: { spec: { containers: [{ name: 'app', ports: [{ containerPort: 80, name: 'web' }] }] } } } });
    assert.deepEqual(containersOf(out)[0]!.ports, [{ containerPort: 80, name: 'web' }, { containerPort: 443 }]);

    const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443 }], selector: { app: 'a' } } };
    const svcOut = smp(svc, { spec: { ports: [{ port: 443, targetPort: 9443 }] } }, patchMetaFor('v1', 'Service')!);
    assert.deepEqual((svcOut.spec as Obj).ports, [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 9443 }]);
  });

  it('merges volumeMounts by mountPath and ownerReferences by uid', () => {
    const original = deployment([{ name: 'app', volumeMounts: [{ name: 'a', mountPath: '/a' }] }]);
    const out = smp(original, {
      spec: { template: { spec: { containers: [{ name: 'app', volumeMounts: [{ name: 'a', mountPath: '/a', readOnly: true }, { name: 'b', mountPath: '/b' }] }] } } },
    });
    assert.deepEqual(containersOf(out)[0]!.volumeMounts, [
      { name: 'a', mountPath: '/a', readOnly: true },
      { name: 'b', mountPath: '/b' },
    ]);
    const owned = smp(
      { metadata: { ownerReferences: [{ uid: '1', kind: 'ReplicaSet', name: 'rs' }] } },
      { metadata: { ownerReferences: [{ uid: '1', controller: true }, { uid: '2', kind: 'X', name: 'x' }] } },
      podMeta,
    );
    assert.deepEqual((owned.metadata as Obj).ownerReferences, [
      { uid: '1', kind: 'ReplicaSet', name: 'rs', controller: true },
      { uid: '2', kind: 'X', name: 'x' },
    ]);
  });

  it('merges pod containers and ephemeral containers directly on a Pod', () => {
    const pod2 = { spec: { containers: [{ name: 'c', image: 'i:1' }], ephemeralContainers: [{ name: 'debug', image: 'busybox' }] } };
    const out = smp(pod2, { spec: { ephemeralContainers: [{ name: 'debug2', image: 'busybox' }], containers: [{ name: 'c', image: 'i:2' }] } }, podMeta);
    assert.deepEqual(out.spec, {
      containers: [{ name: 'c', image: 'i:2' }],
      ephemeralContainers: [{ name: 'debug2', image: 'busybox' }, { name: 'debug', image: 'busybox' }],
    });
  });

  it('honours $patch: replace and delete as list items', () => {
    const original = deployment([{ name: 'a', image: '1' }, { name: 'b', image: '2' }]);
    const replaced = smp(original, { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'c', image: '3' }] } } } });
    assert.deepEqual(containersOf(replaced), [{ name: 'c', image: '3' }]);
    const deleted = smp(original, { spec: { template: { spec: { containers: [{ $patch: 'delete', name: 'a' }] } } } });
    assert.deepEqual(containersOf(deleted), [{ name: 'b', image: '2' }]);
    failsWith(() => smp(original, { spec: { template: { spec: { containers: [{ $patch: 'delete' }] } } } }), 500, /does not contain declared merge key: name/);
  });

  it('merges through CronJob jobTemplate and ReplicationController template', () => {
    const cj = { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b' }] } } } } } };
    const out = smp(cj, { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '2' }] } } } } } }, patchMetaFor('batch/v1', 'CronJob')!);
    assert.deepEqual(out, { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '2' }, { name: 'b' }] } } } } } });
    const rc = { spec: { template: { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b' }] } } } };
    const rcOut = smp(rc, { spec: { template: { spec: { containers: [{ name: 'b', image: '9' }] } } } }, patchMetaFor('v1', 'ReplicationController')!);
    assert.deepEqual(((rcOut.spec as Obj).template as Obj).spec, { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '9' }] });
  });

  it('replaces Endpoints subsets and ServiceAccount imagePullSecrets, merges ServiceAccount secrets', () => {
    const ep = { subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] };
    assert.deepEqual(smp(ep, { subsets: [{ addresses: [{ ip: '10.0.0.2' }] }] }, patchMetaFor('v1', 'Endpoints')!), {
      subsets: [{ addresses: [{ ip: '10.0.0.2' }] }],
    });
    const sa = { secrets: [{ name: 'a' }], imagePullSecrets: [{ name: 'x' }] };
    assert.deepEqual(smp(sa, { secrets: [{ name: 'b' }], imagePullSecrets: [{ name: 'y' }] }, patchMetaFor('v1', 'ServiceAccount')!), {
      secrets: [{ name: 'b' }, { name: 'a' }],
      imagePullSecrets: [{ name: 'y' }],
    });
  });

  it('merges conditions by type', () => {
    const st = { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] } };
    const out = smp(st, { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, podMeta);
    assert.deepEqual((out.status as Obj).conditions, [
      { type: 'Ready', status: 'True' },
      { type: 'PodScheduled', status: 'True' },
    ]);
  });

  it('reports malformed lists', () => {
    failsWith(() => smp({ metadata: { finalizers: ['a'] } }, { metadata: { finalizers: [['b']] } }, podMeta), 422, /^lists of lists are not supported$/);
    failsWith(() => smp({ metadata: { finalizers: ['a'] } }, { metadata: { finalizers: [1] } }, podMeta), 500, /list element types are not identical/);
    failsWith(
      () => smp(deployment([{ name: 'a' }]), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }),
      500,
      /^map: map\[image:x\] does not contain declared merge key: name$/,
    );
    failsWith(
      () =>
        smp(deployment([{ name: 'a' }, { name: 'b' }]), {
          spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b' }, { name: 'a' }] } } },
        }),
      500,
      /doesn't match \$setElementOrder list/,
    );
    failsWith(() => smp({}, { '$setElementOrder/x': 'a' }), 400, /setElementOrder/);
  });

  it('rejects a patch that is not an object', () => {
    failsWith(() => smp({}, []), 400, /^invalid JSON document$/);
    failsWith(() => smp({}, 'x'), 400, /^invalid JSON document$/);
    failsWith(() => smp([], {}), 400, /^invalid JSON document$/);
  });

  it('replaces lists and merges maps of unknown fields', () => {
    const out = smp({ spec: { custom: { a: 1 }, list: [{ name: 'x' }] } }, { spec: { custom: { b: 2 }, list: [{ name: 'y' }] } });
    assert.deepEqual(out, { spec: { custom: { a: 1, b: 2 }, list: [{ name: 'y' }] } });
  });
});
