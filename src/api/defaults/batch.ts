// batch/v1 defaults: Job and CronJob. Also the selector generation that
// upstream's Job strategy performs on create, since validation requires it.

import { asObject, ensureObject, isObject, objectsIn, setDefault, type JsonObject } from '../json.js';
import { defaultPodTemplateSpec } from './pod-spec.js';

export const JobNameLabel = 'batch.kubernetes.io/job-name';
export const LegacyJobNameLabel = 'job-name';
export const ControllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const LegacyControllerUidLabel = 'controller-uid';
const MaxInt32 = 2147483647;

/**
 * Upstream's generateSelector: labels the pod template with the job's name and
 * uid and selects on the uid. Needs metadata.uid; skipped for manualSelector.
 */
export function generateJobSelector(job: JsonObject): void {
  const meta = asObject(job.metadata);
  const spec = ensureObject(job, 'spec');
  if (spec.manualSelector === true || typeof meta.uid !== 'string' || !meta.uid) return;
  const template = ensureObject(spec, 'template');
  const labels = ensureObject(ensureObject(template, 'metadata'), 'labels');
  for (const k of [LegacyJobNameLabel, JobNameLabel]) if (labels[k] === undefined) labels[k] = meta.name;
  for (const k of [LegacyControllerUidLabel, ControllerUidLabel]) if (labels[k] === undefined) labels[k] = meta.uid;
  const selector = ensureObject(spec, 'selector');
  const matchLabels = ensureObject(selector, 'matchLabels');
  if (matchLabels[ControllerUidLabel] === undefined) matchLabels[ControllerUidLabel] = meta.uid;
}

function defaultJobSpecFields(spec: JsonObject): void {
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', spec.backoffLimitPerIndex != null ? MaxInt32 : 6);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  if (isObject(spec.podFailurePolicy))
    for (const rule of objectsIn(spec.podFailurePolicy.rules))
      for (const pattern of objectsIn(rule.onPodConditions)) if (!pattern.status) pattern.status = 'True';
  setDefault(spec, 'podReplacementPolicy', isObject(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed');
}

/** SetDefaults_Job (+ selector generation when the uid is known, + template defaults). */
export function defaultJob(job: JsonObject): void {
  const spec = ensureObject(job, 'spec');
  defaultJobSpecFields(spec);
  generateJobSelector(job);
  // The job takes its template's labels when it has none of its own.
  const template = ensureObject(spec, 'template');
  const tmplLabels = asObject(template.metadata).labels;
  const meta = ensureObject(job, 'metadata');
  if (isObject(tmplLabels) && Object.keys(asObject(meta.labels)).length === 0) meta.labels = { ...tmplLabels };
  defaultPodTemplateSpec(template);
}

export function defaultCronJob(cj: JsonObject): void {
  const spec = ensureObject(cj, 'spec');
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  // Only the pod template inside the job template is defaulted.
  const jobSpec = ensureObject(ensureObject(spec, 'jobTemplate'), 'spec');
  defaultPodTemplateSpec(ensureObject(jobSpec, 'template'));
}
