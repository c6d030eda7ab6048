// The built-in lifecycle, as data: Pending → ContainerCreating → Running,
// optional completion (Succeeded/Failed) steered by annotations, and the
// kubelet's side of graceful deletion.
import { COMPLETE_AFTER_ANNOTATION, EXIT_CODE_ANNOTATION, KWOK_COMPLETE_AFTER_ANNOTATION } from './annotations.js';
import type { FieldExpression, Stage, StageConfig, StageNext } from './types.js';

export interface DefaultStageTimings {
  /** Bound → ContainerCreating. */
  createMs?: number;
  /** ContainerCreating → Running. */
  startMs?: number;
  /** Random extra in [0, jitterMs) on create and start. */
  jitterMs?: number;
  /** deletionTimestamp → containers stopped and pod deleted (capped by the grace period). */
  deleteMs?: number;
}

const notReady = (reason: string) =>
  [
    { type: 'PodReadyToStartContainers', status: 'False' },
    { type: 'Initialized', status: 'True' },
    { type: 'Ready', status: 'False', reason },
    { type: 'ContainersReady', status: 'False', reason },
    { type: 'PodScheduled', status: 'True' },
  ] as const;

/**
 * What happens when a pod's containers exit after its complete-after
 * duration, by restart policy as the kubelet does: Always restarts them,
 * OnFailure restarts them on a non-zero exit, otherwise the pod ends.
 */
function completionStages(annotation: string): Stage[] {
  const running = { phase: ['Running'], deleting: false };
  const delay = { fromAnnotations: [annotation] };
  const done = notReady('PodCompleted');
  const annotated: FieldExpression = { key: `.metadata.annotations["${annotation}"]`, operator: 'Exists' };
  const failing: FieldExpression[] = [
    { key: `.metadata.annotations["${EXIT_CODE_ANNOTATION}"]`, operator: 'Exists' },
    { key: `.metadata.annotations["${EXIT_CODE_ANNOTATION}"]`, operator: 'NotIn', values: ['0'] },
  ];
  const restart: StageNext = { containers: { state: 'restarted', exitCode: 0, exitCodeFromAnnotation: EXIT_CODE_ANNOTATION, ready: true } };
  return [
    {
      name: `pod-restart-always:${annotation}`,
      selector: { ...running, matchExpressions: [annotated, { key: '.spec.restartPolicy', operator: 'In', values: ['Always'] }] },
      delay,
      next: restart,
    },
    {
      name: `pod-restart-on-failure:${annotation}`,
      selector: { ...running, matchExpressions: [annotated, ...failing, { key: '.spec.restartPolicy', operator: 'In', values: ['OnFailure'] }] },
      delay,
      next: restart,
    },
    {
      name: `pod-fail:${annotation}`,
      selector: {
        ...running,
        matchExpressions: [annotated, ...failing],
      },
      delay,
      next: { phase: 'Failed', conditions: [...done], containers: { state: 'terminated', exitCode: 1, exitCodeFromAnnotation: EXIT_CODE_ANNOTATION } },
    },
    {
      name: `pod-complete:${annotation}`,
      selector: { ...running, matchExpressions: [annotated] },
      delay,
      next: { phase: 'Succeeded', conditions: [...done], containers: { state: 'terminated', exitCode: 0 } },
    },
  ];
}

export function defaultStages(t: DefaultStageTimings = {}): StageConfig {
  const jitterMs = t.jitterMs ?? 5;
  const stages: Stage[] = [
    {
      name: 'pod-delete',
      selector: { deleting: true },
      delay: { durationMs: t.deleteMs ?? 10, capToGracePeriod: true },
      next: {
        conditions: [
          { type: 'Ready', status: 'False', reason: 'PodCompleted' },
          { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' },
        ],
        containers: { state: 'terminated', exitCodeFromGrace: true },
        delete: true,
      },
    },
    {
      name: 'pod-create',
      selector: { phase: ['Pending'], deleting: false, matchExpressions: [{ key: '.status.containerStatuses', operator: 'DoesNotExist' }] },
      delay: { durationMs: t.createMs ?? 0, jitterMs },
      next: {
        phase: 'Pending',
        conditions: [...notReady('ContainersNotReady')],
        containers: { state: 'waiting', reason: 'ContainerCreating' },
        setStartTime: true,
      },
    },
    {
      name: 'pod-ready',
      selector: { phase: ['Pending'], deleting: false, matchExpressions: [{ key: '.status.containerStatuses', operator: 'Exists' }] },
      delay: { durationMs: t.startMs ?? 5, jitterMs },
      next: {
        phase: 'Running',
        conditions: [
          { type: 'PodReadyToStartContainers', status: 'True' },
          { type: 'Initialized', status: 'True' },
          { type: 'Ready', status: 'True' },
          { type: 'ContainersReady', status: 'True' },
          { type: 'PodScheduled', status: 'True' },
        ],
        containers: { state: 'running', ready: true },
        assignNetwork: true,
        setStartTime: true,
      },
    },
    ...completionStages(COMPLETE_AFTER_ANNOTATION),
    ...completionStages(KWOK_COMPLETE_AFTER_ANNOTATION),
  ];
  return { apiVersion: 'sim.kubets.io/v1alpha1', kind: 'StageConfig', stages };
}
