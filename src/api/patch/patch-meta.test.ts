import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitionFor, hasPatchMeta, KIND_DEFINITIONS, PATCH_META_TABLE, patchMetaFor, patchMetaForDefinition } from './patch-meta.js';

describe('patch metadata table', () => {
  it('knows every built-in workload kind and nothing for custom resources', () => {
    for (const [apiVersion, kind] of [
      ['v1', 'Pod'],
      ['v1', 'PodTemplate'],
      ['v1', 'ReplicationController'],
      ['v1', 'Service'],
      ['v1', 'Node'],
      ['v1', 'Endpoints'],
      ['v1', 'ConfigMap'],
      ['v1', 'Secret'],
      ['v1', 'Namespace'],
      ['v1', 'ServiceAccount'],
      ['apps/v1', 'Deployment'],
      ['apps/v1', 'ReplicaSet'],
      ['apps/v1', 'StatefulSet'],
      ['apps/v1', 'DaemonSet'],
      ['batch/v1', 'Job'],
      ['batch/v1', 'CronJob'],
      ['networking.k8s.io/v1', 'Ingress'],
      ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
      ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
      ['events.k8s.io/v1', 'Event'],
    ] as const) {
      assert.ok(hasPatchMeta(apiVersion, kind), `${apiVersion} ${kind}`);
    }
    assert.equal(definitionFor('apps/v1', 'Deployment'), 'io.k8s.api.apps.v1.Deployment');
    assert.ok(!hasPatchMeta('example.com/v1', 'Widget'));
    assert.equal(patchMetaFor('example.com/v1', 'Widget'), undefined);
    assert.ok(!hasPatchMeta('v1', 'PodTemplateSpec'), 'templates are not kinds');
    assert.ok(!hasPatchMeta('apps/v1', 'Pod'));
  });

  it('only refers to definitions it holds', () => {
    for (const [def, fields] of Object.entries(PATCH_META_TABLE)) {
      for (const [name, f] of Object.entries(fields)) {
        if (f.type !== undefined) assert.ok(PATCH_META_TABLE[f.type], `${def}.${name} -> ${f.type}`);
        if (f.mergeKey !== undefined) assert.ok(f.strategy?.includes('merge'), `${def}.${name} has a merge key but no merge strategy`);
        if (f.listMapKeys !== undefined) assert.equal(f.listType, 'map', `${def}.${name}`);
      }
    }
    for (const def of Object.values(KIND_DEFINITIONS)) assert.ok(PATCH_META_TABLE[def]?.metadata, def);
  });

  it('resolves paths through pod templates', () => {
    const deploy = patchMetaFor('apps/v1', 'Deployment')!;
    const containers = deploy.lookup(['spec', 'template', 'spec', 'containers']);
    assert.equal(containers.mergeKey, 'name');
    assert.equal(containers.strategy, 'merge');
    assert.deepEqual(containers.listMapKeys, ['name']);
    assert.equal(deploy.lookup(['spec', 'template', 'spec', 'containers', 'env']).mergeKey, 'name');
    assert.equal(deploy.lookup(['spec', 'template', 'spec', 'containers', 'ports']).mergeKey, 'containerPort');
    assert.equal(deploy.lookup(['spec', 'template', 'spec', 'containers', 'volumeMounts']).mergeKey, 'mountPath');
    assert.equal(deploy.lookup(['spec', 'template', 'spec', 'containers', 'volumeDevices']).mergeKey, 'devicePath');
    assert.equal(deploy.lookup(['spec', 'template', 'spec', 'containers', 'envFrom']).strategy, undefined);
    assert.equal(deploy.lookup(['spec', 'template', 'spec', 'volumes']).strategy, 'merge,retainKeys');
    assert.equal(deploy.lookup(['spec', 'template', 'spec', 'tolerations']).strategy, undefined);
    assert.equal(deploy.lookup(['spec', 'template', 'spec', 'hostAliases']).mergeKey, 'ip');
    assert.deepEqual(deploy.lookup(['spec', 'template', 'spec', 'topologySpreadConstraints']), {
      strategy: 'merge',
      mergeKey: 'topologyKey',
      listType: 'map',
      listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
    });
    assert.equal(deploy.lookup(['spec', 'template', 'metadata', 'finalizers']).strategy, 'merge');
    assert.equal(deploy.lookup(['spec', 'strategy']).strategy, 'retainKeys');
    assert.equal(deploy.lookup(['status', 'conditions']).mergeKey, 'type');
    assert.equal(deploy.lookup(['metadata', 'ownerReferences']).mergeKey, 'uid');

    const cron = patchMetaFor('batch/v1', 'CronJob')!;
    assert.equal(cron.lookup(['spec', 'jobTemplate', 'spec', 'template', 'spec', 'initContainers']).mergeKey, 'name');
    const pod = patchMetaFor('v1', 'Pod')!;
    assert.equal(pod.lookup(['spec', 'ephemeralContainers', 'env']).mergeKey, 'name');
    assert.equal(pod.lookup(['status', 'podIPs']).mergeKey, 'ip');
    assert.equal(patchMetaFor('v1', 'PodTemplate')!.lookup(['template', 'spec', 'imagePullSecrets']).mergeKey, 'name');
    assert.equal(patchMetaFor('v1', 'Service')!.lookup(['spec', 'ports']).mergeKey, 'port');
    assert.equal(patchMetaFor('v1', 'ServiceAccount')!.lookup(['secrets']).mergeKey, 'name');
    assert.equal(patchMetaFor('v1', 'Node')!.lookup(['spec', 'podCIDRs']).strategy, 'merge');
    assert.equal(patchMetaFor('v1', 'Node')!.lookup(['spec', 'taints']).listType, 'atomic');
  });

  it('is frozen, being shared by the patcher and the OpenAPI builder', () => {
    const podSpec = PATCH_META_TABLE['io.k8s.api.core.v1.PodSpec']!;
    assert.ok(Object.isFrozen(PATCH_META_TABLE));
    assert.ok(Object.isFrozen(podSpec));
    assert.ok(Object.isFrozen(podSpec.containers));
    assert.throws(() => {
      (podSpec.containers as { mergeKey?: string }).mergeKey = 'image';
    }, TypeError);
  });

  it('answers {} for unknown fields and paths', () => {
    const deploy = patchMetaFor('apps/v1', 'Deployment')!;
    assert.deepEqual(deploy.lookup(['spec', 'nope', 'containers']), {});
    assert.deepEqual(deploy.lookup([]), {});
    assert.deepEqual(deploy.field('toString'), {}, 'no prototype leaks');
    assert.equal(patchMetaForDefinition(undefined).child('x').definition, undefined);
  });
});
