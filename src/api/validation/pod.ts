// Pod create/update validation and pod template validation.

import { asArray, asObject, isObject, jsonEqual, type JsonObject } from '../json.js';
import { child } from './field-path.js';
import { forbidden, invalid, type FieldError } from './field-error.js';
import { goStructDiff } from './go-format.js';
import { inclusiveRangeError, nameIsDNSSubdomain } from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validateLabels } from './common.js';
import { validatePodSpec } from './pod-spec.js';
import { validateAnnotationsOnly } from './annotations.js';

const MaxInt32 = 2147483647;

export function validatePod(pod: unknown): FieldError[] {
  const p = asObject(pod);
  return [
    ...validateObjectMeta(p.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain }),
    ...validatePodSpec(p.spec, 'spec', { isPod: true }),
  ];
}

/** A pod template inside a workload; errors use `<path>.labels`, `<path>.spec...`. */
export function validatePodTemplateSpec(template: unknown, path: string): FieldError[] {
  const t = asObject(template);
  const meta = asObject(t.metadata);
  const errs: FieldError[] = [
    ...validateLabels(meta.labels, child(path, 'labels')),
    ...validateAnnotationsOnly(meta.annotations, child(path, 'annotations')),
    ...validatePodSpec(t.spec, child(path, 'spec'), { isPod: false }),
  ];
  if (asArray(asObject(t.spec).ephemeralContainers).length > 0)
    errs.push(forbidden(child(path, 'spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  return errs;
}

export const updatablePodSpecFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

// Tolerations may only be added, or have tolerationSeconds changed.
function validateOnlyAddedTolerations(newT: unknown, oldT: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const newList = asArray(newT).map(asObject);
  for (const old of asArray(oldT).map(asObject)) {
    const stripped = { ...old, tolerationSeconds: undefined };
    const found = newList.some((n) => jsonEqual({ ...n, tolerationSeconds: undefined }, stripped));
    if (!found) {
      errs.push(forbidden(path, 'existing toleration can not be modified except its tolerationSeconds'));
      return errs;
    }
  }
  return errs;
}

const containerNames = (spec: JsonObject, f: string) => asArray(spec[f]).length;

export function validatePodUpdate(pod: unknown, old: unknown): FieldError[] {
  const newPod = asObject(pod);
  const oldPod = asObject(old);
  const errs = validateObjectMetaUpdate(newPod.metadata, oldPod.metadata);
  errs.push(...validatePodSpec(newPod.spec, 'spec', { isPod: true }));
  const spec = asObject(newPod.spec);
  const oldSpec = asObject(oldPod.spec);
  const specPath = 'spec';
  for (const f of ['containers', 'initContainers']) {
    if (containerNames(spec, f) !== containerNames(oldSpec, f)) {
      errs.push(forbidden(child(specPath, f), 'pod updates may not add or remove containers'));
      return errs;
    }
  }
  errs.push(...validateOnlyAddedTolerations(spec.tolerations, oldSpec.tolerations, child(specPath, 'tolerations')));
  if (jsonEqual(spec, oldSpec)) return errs;

  const ads = spec.activeDeadlineSeconds;
  if (typeof ads === 'number') {
    if (ads < 0 || ads > MaxInt32) {
      errs.push(invalid(child(specPath, 'activeDeadlineSeconds'), ads, inclusiveRangeError(0, MaxInt32)));
      return errs;
    }
    if (typeof oldSpec.activeDeadlineSeconds === 'number' && oldSpec.activeDeadlineSeconds < ads) {
      errs.push(invalid(child(specPath, 'activeDeadlineSeconds'), ads, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oldSpec.activeDeadlineSeconds != null) {
    errs.push(invalid(child(specPath, 'activeDeadlineSeconds'), null, 'must not update from a positive integer to nil value'));
  }

  // Copy the mutable fields from the old spec; anything else that differs is forbidden.
  const munged: JsonObject = structuredClone(spec);
  for (const f of ['containers', 'initContainers']) {
    const oldList = asArray(oldSpec[f]);
    munged[f] = asArray(munged[f]).map((c, i) => ({ ...asObject(c), image: asObject(oldList[i]).image }));
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.schedulingGates = oldSpec.schedulingGates;
  munged.tolerations = oldSpec.tolerations;
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  // Gated pods may gain nodeSelector entries.
  if (asArray(oldSpec.schedulingGates).length > 0 && isObject(munged.nodeSelector)) {
    const oldSel = asObject(oldSpec.nodeSelector);
    const kept = Object.entries(oldSel).every(([k, v]) => asObject(munged.nodeSelector)[k] === v);
    if (kept) munged.nodeSelector = oldSpec.nodeSelector;
  }
  if (!jsonEqual(munged, oldSpec)) {
    const diff = goStructDiff('core.PodSpec', oldSpec, munged, jsonEqual);
    errs.push(forbidden(specPath, `pod updates may not change fields other than ${updatablePodSpecFields.join(',')}\n${diff}`));
  }
  return errs;
}
