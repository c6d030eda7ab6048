// PodSpec validation (upstream's ValidatePodSpec, the commonly hit rules),
// used by Pods and by every pod template.

import { asArray, asObject, asString, isObject, objectsIn } from '../json.js';
import { child, index } from './field-path.js';
import { invalid, notSupported, required, type FieldError } from './field-error.js';
import { inclusiveRangeError, isValidLabelValue, nameIsDNSSubdomain } from './names.js';
import { validateDNS1123Label, validateLabelName, validateLabels } from './common.js';
import { validateContainers, validateInitContainers, type ContainerOptions } from './container.js';
import { validateVolumes } from './volumes.js';

const MaxInt32 = 2147483647;
export const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateRestartPolicy(v: unknown, path: string): FieldError[] {
  if (!v) return [required(path, '')];
  return restartPolicies.includes(asString(v)) ? [] : [notSupported(path, v, restartPolicies)];
}

function validateDNSPolicy(v: unknown, path: string): FieldError[] {
  if (!v) return [required(path, '')];
  return dnsPolicies.includes(asString(v)) ? [] : [notSupported(path, v, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'])];
}

export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objectsIn(tolerations).forEach((t, i) => {
    const p = index(path, i);
    const k = asString(t.key);
    const op = asString(t.operator);
    if (k) errs.push(...validateLabelName(k, child(p, 'key')));
    if (!k && op !== 'Exists')
      errs.push(invalid(child(p, 'operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds != null && t.effect !== 'NoExecute')
      errs.push(invalid(child(p, 'effect'), asString(t.effect), "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (op === 'Equal' || op === '') {
      for (const m of isValidLabelValue(asString(t.value))) errs.push(invalid(child(p, 'operator'), asString(t.value), m));
    } else if (op === 'Exists') {
      if (asString(t.value)) errs.push(invalid(child(p, 'operator'), t, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(child(p, 'operator'), op, ['Equal', 'Exists']));
    }
    const effect = asString(t.effect);
    if (effect && !taintEffects.includes(effect)) errs.push(notSupported(child(p, 'effect'), effect, taintEffects));
  });
  return errs;
}

export type PodSpecOptions = ContainerOptions;

export function validatePodSpec(specRaw: unknown, path: string, opts: PodSpecOptions): FieldError[] {
  const spec = asObject(specRaw);
  const errs: FieldError[] = [];
  const { names: volumes, errs: volErrs } = validateVolumes(spec.volumes, child(path, 'volumes'));
  errs.push(...volErrs);
  errs.push(...validateContainers(spec.containers, volumes, child(path, 'containers'), opts));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, volumes, child(path, 'initContainers'), opts));
  if (spec.hostNetwork === true)
    for (const f of ['containers', 'initContainers'])
      objectsIn(spec[f]).forEach((c, i) =>
        objectsIn(c.ports).forEach((port, j) => {
          if (port.hostPort !== undefined && port.hostPort !== port.containerPort)
            errs.push(
              invalid(child(index(child(index(child(path, f), i), 'ports'), j), 'hostPort'), port.hostPort, 'must match `containerPort` when `hostNetwork` is true'),
            );
        }),
      );
  errs.push(...validateRestartPolicy(spec.restartPolicy, child(path, 'restartPolicy')));
  errs.push(...validateDNSPolicy(spec.dnsPolicy, child(path, 'dnsPolicy')));
  errs.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  asArray(spec.imagePullSecrets).forEach((s, i) => {
    if (!asString(asObject(s).name)) errs.push(required(child(index(child(path, 'imagePullSecrets'), i), 'name'), ''));
  });
  for (const [f, fn] of [
    ['serviceAccountName', nameIsDNSSubdomain],
    ['nodeName', nameIsDNSSubdomain],
    ['priorityClassName', nameIsDNSSubdomain],
  ] as const) {
    const v = asString(spec[f]);
    if (v) errs.push(...fn(v, false).map((m) => invalid(child(path, f), v, m)));
  }
  const ads = spec.activeDeadlineSeconds;
  if (typeof ads === 'number' && (ads < 1 || ads > MaxInt32))
    errs.push(invalid(child(path, 'activeDeadlineSeconds'), ads, inclusiveRangeError(1, MaxInt32)));
  if (asString(spec.hostname)) errs.push(...validateDNS1123Label(asString(spec.hostname), child(path, 'hostname')));
  if (asString(spec.subdomain)) errs.push(...validateDNS1123Label(asString(spec.subdomain), child(path, 'subdomain')));
  errs.push(...validateTolerations(spec.tolerations, child(path, 'tolerations')));
  if (spec.dnsPolicy === 'None' && !isObject(spec.dnsConfig))
    errs.push(required(child(path, 'dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  return errs;
}
