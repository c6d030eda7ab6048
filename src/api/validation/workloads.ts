// apps/v1 validation: Deployment, ReplicaSet, StatefulSet, DaemonSet.

import { asObject, asString, isObject, jsonEqual, type JsonObject } from '../json.js';
import { child } from './field-path.js';
import { forbidden, invalid, notSupported, required, type FieldError } from './field-error.js';
import { goIntOrString, goLabelSelector, goStringMap } from './go-format.js';
import { isValidPercent, nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import {
  selectorIsEmpty,
  selectorMatches,
  validateImmutable,
  validateLabelSelector,
  validateNonnegative,
} from './common.js';
import { validatePodTemplateSpec } from './pod.js';

export const selectorMismatchMsg = '`selector` does not match template `labels`';

const templateLabels = (template: unknown) => asObject(asObject(asObject(template).metadata).labels);
const shownTemplateLabels = (template: unknown) => goStringMap(asObject(asObject(template).metadata).labels);

/** Invalid on <template>.metadata.labels unless the selector matches them (empty selectors skip it). */
export function validateSelectorMatchesTemplate(selector: unknown, template: unknown, templatePath: string): FieldError[] {
  if (isObject(selector) && selectorIsEmpty(selector)) return [];
  if (selectorMatches(selector, templateLabels(template))) return [];
  return [invalid(child(templatePath, 'metadata', 'labels'), shownTemplateLabels(template), selectorMismatchMsg)];
}

function validateSelectorRequired(selector: unknown, path: string, kindWord: string): FieldError[] {
  if (!isObject(selector)) return [required(path, '')];
  const errs = validateLabelSelector(selector, path);
  if (selectorIsEmpty(selector)) errs.push(invalid(path, goLabelSelector(selector), `empty selector is invalid for ${kindWord}`));
  return errs;
}

function validateAlwaysRestart(template: unknown, templatePath: string, kindName: string): FieldError[] {
  const spec = asObject(asObject(template).spec);
  const errs: FieldError[] = [];
  if (spec.restartPolicy !== 'Always')
    errs.push(notSupported(child(templatePath, 'spec', 'restartPolicy'), asString(spec.restartPolicy), ['Always']));
  if (spec.activeDeadlineSeconds != null)
    errs.push(forbidden(child(templatePath, 'spec', 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${kindName} is not Supported`));
  return errs;
}

/** ValidatePodTemplateSpecForReplicaSet: used by Deployment and ReplicaSet. */
function validateReplicaSetTemplate(selector: unknown, template: unknown, path: string): FieldError[] {
  if (!isObject(template)) return [required(path, '')];
  return [
    ...validateSelectorMatchesTemplate(selector, template, path),
    ...validatePodTemplateSpec(template, path),
    ...validateAlwaysRestart(template, path, 'ReplicaSet'),
  ];
}

const percentValue = (v: unknown): number | undefined =>
  typeof v === 'string' && /^[0-9]+%$/.test(v) ? Number(v.slice(0, -1)) : undefined;
const intOrPercentValue = (v: unknown): number => (typeof v === 'number' ? v : (percentValue(v) ?? 0));

function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => invalid(path, goIntOrString(v), m));
  if (typeof v === 'number') return validateNonnegative(v, path);
  return [];
}

function validateMaxUnavailableAndSurge(ru: JsonObject, path: string): FieldError[] {
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, child(path, 'maxUnavailable')),
    ...validatePositiveIntOrPercent(ru.maxSurge, child(path, 'maxSurge')),
  ];
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0)
    errs.push(invalid(child(path, 'maxUnavailable'), goIntOrString(ru.maxUnavailable ?? 0), 'may not be 0 when `maxSurge` is 0'));
  const pct = percentValue(ru.maxUnavailable);
  if (pct !== undefined && pct > 100) errs.push(invalid(child(path, 'maxUnavailable'), goIntOrString(ru.maxUnavailable), 'must not be greater than 100%'));
  return errs;
}

function validateDeploymentStrategy(strategy: unknown, path: string): FieldError[] {
  const s = asObject(strategy);
  switch (s.type) {
    case 'Recreate':
      return isObject(s.rollingUpdate) ? [forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate':
      if (!isObject(s.rollingUpdate)) return [required(child(path, 'rollingUpdate'), 'this should be defaulted and never be nil')];
      return validateMaxUnavailableAndSurge(s.rollingUpdate, child(path, 'rollingUpdate'));
    default:
      return [notSupported(child(path, 'type'), asString(s.type), ['Recreate', 'RollingUpdate'])];
  }
}

function validateDeploymentSpec(specRaw: unknown, path: string): FieldError[] {
  const spec = asObject(specRaw);
  const errs: FieldError[] = [];
  errs.push(...validateNonnegative(spec.replicas, child(path, 'replicas')));
  errs.push(...validateSelectorRequired(spec.selector, child(path, 'selector'), 'deployment'));
  errs.push(...validateReplicaSetTemplate(spec.selector, spec.template, child(path, 'template')));
  errs.push(...validateDeploymentStrategy(spec.strategy, child(path, 'strategy')));
  errs.push(...validateNonnegative(spec.minReadySeconds, child(path, 'minReadySeconds')));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, child(path, 'revisionHistoryLimit')));
  const pds = spec.progressDeadlineSeconds;
  if (typeof pds === 'number') {
    errs.push(...validateNonnegative(pds, child(path, 'progressDeadlineSeconds')));
    if (pds <= (typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0))
      errs.push(invalid(child(path, 'progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

const specOf = (o: unknown) => asObject(asObject(o).spec);

function selectorImmutable(obj: unknown, old: unknown): FieldError[] {
  const sel = specOf(obj).selector;
  return validateImmutable(sel, specOf(old).selector, 'spec.selector', goLabelSelector(sel));
}

export function validateDeployment(obj: unknown, old?: unknown): FieldError[] {
  const o = asObject(obj);
  const errs = old
    ? validateObjectMetaUpdate(o.metadata, asObject(old).metadata)
    : validateObjectMeta(o.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  errs.push(...validateDeploymentSpec(o.spec, 'spec'));
  if (old) errs.push(...selectorImmutable(obj, old));
  return errs;
}

export function validateReplicaSet(obj: unknown, old?: unknown): FieldError[] {
  const o = asObject(obj);
  const spec = asObject(o.spec);
  const errs = old
    ? validateObjectMetaUpdate(o.metadata, asObject(old).metadata)
    : validateObjectMeta(o.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  errs.push(...validateNonnegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelectorRequired(spec.selector, 'spec.selector', 'deployment'));
  errs.push(...validateReplicaSetTemplate(spec.selector, spec.template, 'spec.template'));
  if (old) errs.push(...selectorImmutable(obj, old));
  return errs;
}

function validateStatefulSetSpec(specRaw: unknown, path: string): FieldError[] {
  const spec = asObject(specRaw);
  const errs: FieldError[] = [];
  const pmp = asString(spec.podManagementPolicy);
  if (!pmp) errs.push(required(child(path, 'podManagementPolicy'), ''));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel')
    errs.push(invalid(child(path, 'podManagementPolicy'), pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us = asObject(spec.updateStrategy);
  switch (us.type) {
    case undefined:
    case '':
      errs.push(required(child(path, 'updateStrategy'), ''));
      break;
    case 'OnDelete':
      if (isObject(us.rollingUpdate))
        errs.push(invalid(child(path, 'updateStrategy', 'rollingUpdate'), us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      break;
    case 'RollingUpdate':
      if (isObject(us.rollingUpdate)) {
        errs.push(...validateNonnegative(us.rollingUpdate.partition, child(path, 'updateStrategy', 'rollingUpdate', 'partition')));
      }
      break;
    default:
      errs.push(invalid(child(path, 'updateStrategy'), us, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const retention = asObject(spec.persistentVolumeClaimRetentionPolicy);
  for (const f of ['whenDeleted', 'whenScaled']) {
    const v = asString(retention[f]);
    if (v && v !== 'Retain' && v !== 'Delete')
      errs.push(notSupported(child(path, 'persistentVolumeClaimRetentionPolicy', f), v, ['Retain', 'Delete']));
  }
  errs.push(...validateNonnegative(spec.replicas, child(path, 'replicas')));
  errs.push(...validateNonnegative(spec.minReadySeconds, child(path, 'minReadySeconds')));
  if (isObject(spec.ordinals)) errs.push(...validateNonnegative(spec.ordinals.start, child(path, 'ordinals', 'start')));
  errs.push(...validateSelectorRequired(spec.selector, child(path, 'selector'), 'statefulset'));
  const tp = child(path, 'template');
  errs.push(...validateSelectorMatchesTemplate(spec.selector, spec.template, tp));
  errs.push(...validatePodTemplateSpec(spec.template, tp));
  errs.push(...validateAlwaysRestart(spec.template, tp, 'StatefulSet'));
  return errs;
}

// StatefulSet fields that may change after creation.
const statefulSetMutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export function validateStatefulSet(obj: unknown, old?: unknown): FieldError[] {
  const o = asObject(obj);
  const errs = old
    ? validateObjectMetaUpdate(o.metadata, asObject(old).metadata)
    : validateObjectMeta(o.metadata, { namespaced: true, nameFn: nameIsDNSLabel });
  errs.push(...validateStatefulSetSpec(o.spec, 'spec'));
  if (old) {
    const strip = (s: JsonObject) => Object.fromEntries(Object.entries(s).filter(([k]) => !statefulSetMutable.includes(k)));
    if (!jsonEqual(strip(specOf(obj)), strip(specOf(old))))
      errs.push(
        forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
  }
  return errs;
}

function validateDaemonSetSpec(specRaw: unknown, path: string): FieldError[] {
  const spec = asObject(specRaw);
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(spec.selector, child(path, 'selector')));
  const tp = child(path, 'template');
  if (!selectorMatches(spec.selector, templateLabels(spec.template)) && !(isObject(spec.selector) && selectorIsEmpty(spec.selector)))
    errs.push(invalid(child(tp, 'metadata', 'labels'), shownTemplateLabels(spec.template), selectorMismatchMsg));
  if (isObject(spec.selector) && selectorIsEmpty(spec.selector))
    errs.push(invalid(child(path, 'selector'), goLabelSelector(spec.selector), 'empty selector is invalid for daemonset'));
  errs.push(...validatePodTemplateSpec(spec.template, tp));
  const tspec = asObject(asObject(spec.template).spec);
  if (tspec.restartPolicy !== 'Always') errs.push(notSupported(child(tp, 'spec', 'restartPolicy'), asString(tspec.restartPolicy), ['Always']));
  if (tspec.activeDeadlineSeconds != null)
    errs.push(forbidden(child(tp, 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in DaemonSet is not Supported'));
  errs.push(...validateNonnegative(spec.minReadySeconds, child(path, 'minReadySeconds')));
  const us = asObject(spec.updateStrategy);
  const usPath = child(path, 'updateStrategy');
  if (us.type === 'RollingUpdate') {
    if (!isObject(us.rollingUpdate)) errs.push(required(child(usPath, 'rollingUpdate'), ''));
    else errs.push(...validateMaxUnavailableAndSurge(us.rollingUpdate, child(usPath, 'rollingUpdate')));
  } else if (us.type !== 'OnDelete') {
    errs.push(notSupported(child(usPath, 'type'), asString(us.type), ['RollingUpdate', 'OnDelete']));
  }
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, child(path, 'revisionHistoryLimit')));
  return errs;
}

export function validateDaemonSet(obj: unknown, old?: unknown): FieldError[] {
  const o = asObject(obj);
  const errs = old
    ? validateObjectMetaUpdate(o.metadata, asObject(old).metadata)
    : validateObjectMeta(o.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  errs.push(...validateDaemonSetSpec(o.spec, 'spec'));
  if (old) errs.push(...selectorImmutable(obj, old));
  return errs;
}
