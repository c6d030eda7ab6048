// The batch/v1 Job fields this controller reads and writes.
import type { KubeObject } from '../../api/meta.js';
import type { LabelSelectorObject } from '../../api/labels.js';
import type { Condition, PodTemplateSpec } from '../../client/types.js';

export interface PodFailurePolicyRule {
  action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] };
  onPodConditions?: { type: string; status?: string }[];
}

export interface JobSpec {
  parallelism?: number;
  completions?: number;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
  completionMode?: 'NonIndexed' | 'Indexed';
  suspend?: boolean;
  selector?: LabelSelectorObject;
  podFailurePolicy?: { rules: PodFailurePolicyRule[] };
  /** Failed (the default with a podFailurePolicy): terminating pods are neither failures nor replaced until Failed. */
  podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed';
  template: PodTemplateSpec;
}

export interface UncountedTerminatedPods {
  succeeded?: string[];
  failed?: string[];
}

export interface JobStatus {
  active?: number;
  ready?: number;
  terminating?: number;
  succeeded?: number;
  failed?: number;
  startTime?: string;
  completionTime?: string;
  completedIndexes?: string;
  conditions?: Condition[];
  uncountedTerminatedPods?: UncountedTerminatedPods;
}

export interface BatchJob extends KubeObject {
  spec: JobSpec;
  status?: JobStatus;
}

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX_KEY = 'batch.kubernetes.io/job-completion-index';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
