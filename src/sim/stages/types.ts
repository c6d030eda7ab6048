// The data that drives simulated pods, after KWOK's Stage resources: each
// stage says which pods it applies to, how long to wait, and what the pod
// becomes. The first matching stage (in list order) is the pod's next step.

export interface StageConfig {
  apiVersion?: string;
  kind?: 'StageConfig';
  stages: Stage[];
}

export interface Stage {
  name: string;
  selector: StageSelector;
  delay?: StageDelay;
  next: StageNext;
}

/** Every given clause must hold (AND). */
export interface StageSelector {
  /** Pod phases (a pod without status.phase counts as Pending). */
  phase?: string[];
  /** true: only pods being deleted (deletionTimestamp set); false: only pods not being deleted. */
  deleting?: boolean;
  matchLabels?: Record<string, string>;
  matchAnnotations?: Record<string, string>;
  matchExpressions?: FieldExpression[];
}

/**
 * A test on a field of the pod, by a jq-like path: `.status.podIP`,
 * `.metadata.annotations["sim.kubets.io/exit-code"]`,
 * `.metadata.ownerReferences[].kind` (`[]`: any element). Null, missing and
 * empty arrays do not exist; values compare as strings.
 */
export interface FieldExpression {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** Durations are milliseconds, or Go-style strings ("5s") in files. */
export interface StageDelay {
  durationMs?: number;
  jitterMs?: number;
  /** Annotations whose value (a duration) overrides durationMs; the first present wins. */
  fromAnnotations?: string[];
  /** Wait no longer than the pod's deletion grace period (for the delete stage). */
  capToGracePeriod?: boolean;
}

export interface StageNext {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  /** Pod conditions to set; lastTransitionTime moves only when the status changes. */
  conditions?: { type: string; status: 'True' | 'False' | 'Unknown'; reason?: string; message?: string }[];
  /** The state every app container takes (init containers follow: Completed once apps run). */
  containers?: ContainerTemplate;
  /** Set hostIP/podIP (from the node's podCIDR) and startTime, as the kubelet does once it runs the pod. */
  assignNetwork?: boolean;
  /** Set status.startTime (the kubelet's first sighting) if unset. */
  setStartTime?: boolean;
  /** After any status change above, delete the pod with gracePeriodSeconds 0 (the kubelet's final delete). */
  delete?: boolean;
}

export interface ContainerTemplate {
  /** `restarted`: the containers exited (exit code as for terminated, kept in lastState) and run again, restartCount + 1. */
  state: 'waiting' | 'running' | 'terminated' | 'restarted';
  /** Waiting reason, or terminated reason (default: Completed for exit code 0, Error otherwise). */
  reason?: string;
  message?: string;
  ready?: boolean;
  exitCode?: number;
  /** Annotation holding the exit code (overrides exitCode when present and an integer). */
  exitCodeFromAnnotation?: string;
  /** Exit 0 when the pod was deleted with a grace period (SIGTERM honoured), 137 when with none (SIGKILL). */
  exitCodeFromGrace?: boolean;
}
