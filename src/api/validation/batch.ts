// batch/v1 validation: Job and CronJob.

import { asObject, asString, isObject, jsonEqual, type JsonObject } from '../json.js';
import { ControllerUidLabel, LegacyControllerUidLabel } from '../defaults/batch.js';
import { child, key } from './field-path.js';
import { invalid, notSupported, required, type FieldError } from './field-error.js';
import { GoLiteral, goLabelSelector, goStringMap } from './go-format.js';
import { DNS1035LabelMaxLength, nameIsDNSSubdomain } from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { selectorMatches, validateImmutable, validateLabelSelector, validateNonnegative } from './common.js';
import { validatePodTemplateSpec } from './pod.js';
import { selectorMismatchMsg } from './workloads.js';
import { CronParseError, isKnownTimeZone, parseCronSchedule } from './cron.js';

const maxParallelismForIndexedJob = 100000;

/** Job spec checks shared by Jobs and CronJob job templates (upstream's validateJobSpec). */
function validateJobSpecCommon(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished'])
    errs.push(...validateNonnegative(spec[f], child(path, f)));
  const mode = spec.completionMode;
  if (mode != null) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(notSupported(child(path, 'completionMode'), mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (spec.completions == null) errs.push(required(child(path, 'completions'), 'when completion mode is Indexed'));
      if (typeof spec.parallelism === 'number' && spec.parallelism > maxParallelismForIndexedJob)
        errs.push(
          invalid(child(path, 'parallelism'), spec.parallelism, `must be less than or equal to ${maxParallelismForIndexedJob} when completion mode is Indexed`),
        );
    }
  }
  const prp = spec.podReplacementPolicy;
  if (prp != null) {
    const allowed = isObject(spec.podFailurePolicy) ? ['Failed'] : ['Failed', 'TerminatingOrFailed'];
    if (!allowed.includes(asString(prp))) errs.push(notSupported(child(path, 'podReplacementPolicy'), prp, allowed));
  }
  return errs;
}

function validateJobTemplateRestartPolicy(spec: JsonObject, path: string): FieldError[] {
  const rp = asString(asObject(asObject(spec.template).spec).restartPolicy);
  const p = child(path, 'template', 'spec', 'restartPolicy');
  // An unset policy was defaulted to Always, so both mean the user gave none.
  if (rp === 'Always' || rp === '') return [required(p, 'valid values: "OnFailure", "Never"')];
  if (rp !== 'OnFailure' && rp !== 'Never') return [notSupported(p, rp, ['OnFailure', 'Never'])];
  if (isObject(spec.podFailurePolicy) && rp !== 'Never') return [invalid(p, rp, 'only "Never" is supported when podFailurePolicy is specified')];
  return [];
}

const templateLabels = (spec: JsonObject) => asObject(asObject(asObject(spec.template).metadata).labels);

function validateJobSpec(spec: JsonObject, path: string): FieldError[] {
  const errs = validateJobSpecCommon(spec, path);
  if (!isObject(spec.selector)) errs.push(required(child(path, 'selector'), ''));
  else errs.push(...validateLabelSelector(spec.selector, child(path, 'selector')));
  if (isObject(spec.selector) && !selectorMatches(spec.selector, templateLabels(spec)))
    errs.push(invalid(child(path, 'template', 'metadata', 'labels'), goStringMap(asObject(asObject(spec.template).metadata).labels), selectorMismatchMsg));
  errs.push(...validatePodTemplateSpec(spec.template, child(path, 'template')));
  errs.push(...validateJobTemplateRestartPolicy(spec, path));
  return errs;
}

// With a generated selector, the template must carry the job's uid labels.
function validateGeneratedSelector(job: JsonObject): FieldError[] {
  const spec = asObject(job.spec);
  if (spec.manualSelector === true) return [];
  const labels = asObject(asObject(spec.template).metadata).labels;
  if (!isObject(labels) || !isObject(spec.selector)) return [];
  const uid = asString(asObject(job.metadata).uid);
  const errs: FieldError[] = [];
  if (!uid) errs.push(required('metadata.uid', ''));
  for (const k of [LegacyControllerUidLabel, ControllerUidLabel]) {
    const p = key('spec.template.metadata.labels', k);
    if (!(k in labels)) errs.push(required(p, `must be '${uid}'`));
    else if (labels[k] !== uid) errs.push(invalid(p, goStringMap(labels), `must be '${uid}'`));
  }
  return errs;
}

export function validateJob(obj: unknown, old?: unknown): FieldError[] {
  const job = asObject(obj);
  const spec = asObject(job.spec);
  const errs = old
    ? validateObjectMetaUpdate(job.metadata, asObject(old).metadata)
    : validateObjectMeta(job.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  if (!old) errs.push(...validateGeneratedSelector(job));
  errs.push(...validateJobSpec(spec, 'spec'));
  if (old) {
    const oldSpec = asObject(asObject(old).spec);
    const elastic = spec.completionMode === 'Indexed' && spec.completions === spec.parallelism && oldSpec.completions === oldSpec.parallelism;
    if (!elastic) errs.push(...validateImmutable(spec.completions, oldSpec.completions, 'spec.completions'));
    errs.push(...validateImmutable(spec.selector, oldSpec.selector, 'spec.selector', goLabelSelector(spec.selector)));
    errs.push(...validateTemplateUpdate(spec, oldSpec));
    errs.push(...validateImmutable(spec.completionMode, oldSpec.completionMode, 'spec.completionMode'));
    errs.push(...validateImmutable(spec.podFailurePolicy, oldSpec.podFailurePolicy, 'spec.podFailurePolicy', new GoLiteral('&batch.PodFailurePolicy{...}')));
    errs.push(...validateImmutable(spec.backoffLimitPerIndex, oldSpec.backoffLimitPerIndex, 'spec.backoffLimitPerIndex'));
  }
  return errs;
}

// The template is immutable, except scheduling directives of a suspended job that never started.
function validateTemplateUpdate(spec: JsonObject, oldSpec: JsonObject): FieldError[] {
  let template: unknown = spec.template;
  if (spec.suspend === true) {
    const t = structuredClone(asObject(spec.template));
    const o = asObject(oldSpec.template);
    const tSpec = asObject(t.spec);
    const oSpec = asObject(o.spec);
    for (const f of ['nodeSelector', 'tolerations', 'affinity', 'schedulingGates']) tSpec[f] = oSpec[f];
    const tMeta = asObject(t.metadata);
    const oMeta = asObject(o.metadata);
    tMeta.labels = oMeta.labels;
    tMeta.annotations = oMeta.annotations;
    t.metadata = tMeta;
    t.spec = tSpec;
    template = t;
  }
  return jsonEqual(template, oldSpec.template) ? [] : [invalid('spec.template', new GoLiteral('core.PodTemplateSpec{...}'), 'field is immutable')];
}

function validateSchedule(schedule: string, timeZone: unknown, allowTZ: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  try {
    parseCronSchedule(schedule);
  } catch (e) {
    if (!(e instanceof CronParseError)) throw e;
    errs.push(invalid(path, schedule, e.message));
  }
  if (allowTZ && schedule.includes('TZ') && timeZone != null)
    errs.push(invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  else if (!allowTZ && schedule.includes('TZ'))
    errs.push(invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  return errs;
}

function validateTimeZone(tz: unknown, path: string): FieldError[] {
  if (tz == null) return [];
  const name = asString(tz);
  if (name.length === 0) return [invalid(path, name, 'timeZone must be nil or non-empty string')];
  if (name.toLowerCase() === 'local') return [invalid(path, name, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  if (!isKnownTimeZone(name)) return [invalid(path, name, `unknown time zone ${name}`)];
  return [];
}

export function validateCronJob(obj: unknown, old?: unknown): FieldError[] {
  const cj = asObject(obj);
  const spec = asObject(cj.spec);
  const oldSpec = old ? asObject(asObject(old).spec) : undefined;
  const errs = old
    ? validateObjectMetaUpdate(cj.metadata, asObject(old).metadata)
    : validateObjectMeta(cj.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  const path = 'spec';
  const schedule = asString(spec.schedule);
  if (!schedule) errs.push(required(child(path, 'schedule'), ''));
  else errs.push(...validateSchedule(schedule, spec.timeZone, oldSpec ? asString(oldSpec.schedule).includes('TZ') : false, child(path, 'schedule')));
  errs.push(...validateNonnegative(spec.startingDeadlineSeconds, child(path, 'startingDeadlineSeconds')));
  if (!oldSpec || oldSpec.timeZone !== spec.timeZone) errs.push(...validateTimeZone(spec.timeZone, child(path, 'timeZone')));
  const cp = asString(spec.concurrencyPolicy);
  if (!cp) errs.push(required(child(path, 'concurrencyPolicy'), ''));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(notSupported(child(path, 'concurrencyPolicy'), cp, ['Allow', 'Forbid', 'Replace']));
  const jtPath = child(path, 'jobTemplate', 'spec');
  const jobSpec = asObject(asObject(spec.jobTemplate).spec);
  errs.push(...validateJobSpecCommon(jobSpec, jtPath));
  errs.push(...validatePodTemplateSpec(jobSpec.template, child(jtPath, 'template')));
  errs.push(...validateJobTemplateRestartPolicy(jobSpec, jtPath));
  if (isObject(jobSpec.selector)) errs.push(invalid(child(jtPath, 'selector'), goLabelSelector(jobSpec.selector), '`selector` will be auto-generated'));
  if (jobSpec.manualSelector === true) errs.push(notSupported(child(jtPath, 'manualSelector'), true, ['nil', 'false']));
  errs.push(...validateNonnegative(spec.successfulJobsHistoryLimit, child(path, 'successfulJobsHistoryLimit')));
  errs.push(...validateNonnegative(spec.failedJobsHistoryLimit, child(path, 'failedJobsHistoryLimit')));
  const name = asString(asObject(cj.metadata).name);
  // The controller appends an 11-character suffix to job names, which are limited to 63.
  if (!old && name.length > DNS1035LabelMaxLength - 11) errs.push(invalid('metadata.name', name, 'must be no more than 52 characters'));
  return errs;
}
