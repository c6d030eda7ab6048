// apps/v1 defaults: Deployment, ReplicaSet, StatefulSet, DaemonSet
// (SetDefaults_* in upstream's apps/v1), each followed by pod template defaults.

import { ensureObject, isObject, objectsIn, setDefault, type JsonObject } from '../json.js';
import { defaultPodTemplateSpec } from './pod-spec.js';
import { defaultPersistentVolumeClaim } from './core.js';

export function defaultDeployment(obj: JsonObject): void {
  const spec = ensureObject(obj, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = ensureObject(spec, 'strategy');
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = ensureObject(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplateSpec(ensureObject(spec, 'template'));
}

export function defaultReplicaSet(obj: JsonObject): void {
  const spec = ensureObject(obj, 'spec');
  setDefault(spec, 'replicas', 1);
  defaultPodTemplateSpec(ensureObject(spec, 'template'));
}

export function defaultStatefulSet(obj: JsonObject): void {
  const spec = ensureObject(obj, 'spec');
  if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady';
  const us = ensureObject(spec, 'updateStrategy');
  if (!us.type) {
    us.type = 'RollingUpdate';
    ensureObject(us, 'rollingUpdate');
  }
  if (us.type === 'RollingUpdate' && isObject(us.rollingUpdate)) setDefault(us.rollingUpdate, 'partition', 0);
  const retention = ensureObject(spec, 'persistentVolumeClaimRetentionPolicy');
  if (!retention.whenDeleted) retention.whenDeleted = 'Retain';
  if (!retention.whenScaled) retention.whenScaled = 'Retain';
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  for (const pvc of objectsIn(spec.volumeClaimTemplates)) defaultPersistentVolumeClaim(pvc);
  defaultPodTemplateSpec(ensureObject(spec, 'template'));
}

export function defaultDaemonSet(obj: JsonObject): void {
  const spec = ensureObject(obj, 'spec');
  const us = ensureObject(spec, 'updateStrategy');
  if (!us.type) us.type = 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = ensureObject(us, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(ensureObject(spec, 'template'));
}
