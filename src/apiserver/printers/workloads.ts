// Printers for the workload controllers: replication controllers, replica
// sets, deployments, stateful sets, daemon sets, jobs, cron jobs, pod
// templates and controller revisions.

import { get, num, obj, objs, optBool, optNum, optStr, str, strMap, type Obj } from './access.js';
import { ageCol, col, containerColumns, nameCol } from './columns.js';
import { humanDuration, parseTime, timestampSince } from './duration.js';
import { containerCells, formatLabelSelector, formatLabels, InvalidSelectorError, labelSelectorString, templateContainers } from './format.js';
import { ageOf, isDeleting, nameOf } from './meta.js';
import type { TablePrinter } from './types.js';

/** spec.replicas, defaulted to 1 as the API server does on write. */
const desiredReplicas = (o: Obj): number => optNum(o, 'spec', 'replicas') ?? 1;

const desiredCol = () => col('Desired', 'integer', 'Number of desired pods.');
const currentCol = () => col('Current', 'integer', 'Number of pods that exist now.');
const readyIntCol = () => col('Ready', 'integer', 'Number of ready pods.');

export const replicationControllerPrinter: TablePrinter = {
  columns: [nameCol(), desiredCol(), currentCol(), readyIntCol(), ageCol(), ...containerColumns(true)],
  cells(o, now) {
    const template = obj(o, 'spec', 'template');
    const [names, images] = containerCells(objs(template, 'spec', 'containers'));
    return [
      nameOf(o),
      desiredReplicas(o),
      num(o, 'status', 'replicas'),
      num(o, 'status', 'readyReplicas'),
      ageOf(o, now),
      names,
      images,
      formatLabels(strMap(o, 'spec', 'selector')),
    ];
  },
};

export const replicaSetPrinter: TablePrinter = {
  columns: [nameCol(), desiredCol(), currentCol(), readyIntCol(), ageCol(), ...containerColumns(true)],
  cells(o, now) {
    const [names, images] = containerCells(templateContainers(o));
    return [
      nameOf(o),
      desiredReplicas(o),
      num(o, 'status', 'replicas'),
      num(o, 'status', 'readyReplicas'),
      ageOf(o, now),
      names,
      images,
      formatLabelSelector(get(o, 'spec', 'selector')),
    ];
  },
};

export const deploymentPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Ready', 'string', 'Ready pods out of desired pods.'),
    col('Up-to-date', 'string', 'Pods running the latest pod template.'),
    col('Available', 'string', 'Pods available to serve.'),
    ageCol(),
    ...containerColumns(true),
  ],
  cells(o, now) {
    const [names, images] = containerCells(templateContainers(o));
    let selector: string;
    try {
      selector = labelSelectorString(get(o, 'spec', 'selector'));
    } catch (e) {
      if (!(e instanceof InvalidSelectorError)) throw e;
      selector = '<invalid>';
    }
    return [
      nameOf(o),
      `${num(o, 'status', 'readyReplicas')}/${desiredReplicas(o)}`,
      num(o, 'status', 'updatedReplicas'),
      num(o, 'status', 'availableReplicas'),
      ageOf(o, now),
      names,
      images,
      selector,
    ];
  },
};

export const statefulSetPrinter: TablePrinter = {
  columns: [nameCol(), col('Ready', 'string', 'Ready pods out of desired pods.'), ageCol(), ...containerColumns(false)],
  cells(o, now) {
    const [names, images] = containerCells(templateContainers(o));
    return [nameOf(o), `${num(o, 'status', 'readyReplicas')}/${desiredReplicas(o)}`, ageOf(o, now), names, images];
  },
};

export const daemonSetPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Desired', 'integer', 'Number of nodes that should run the daemon pod.'),
    col('Current', 'integer', 'Number of nodes running the daemon pod.'),
    col('Ready', 'integer', 'Number of nodes whose daemon pod is ready.'),
    col('Up-to-date', 'integer', 'Number of nodes running the latest pod template.'),
    col('Available', 'integer', 'Number of nodes whose daemon pod is available.'),
    col('Node Selector', 'string', 'Node selector of the pod template.'),
    ageCol(),
    ...containerColumns(true),
  ],
  cells(o, now) {
    const [names, images] = containerCells(templateContainers(o));
    return [
      nameOf(o),
      num(o, 'status', 'desiredNumberScheduled'),
      num(o, 'status', 'currentNumberScheduled'),
      num(o, 'status', 'numberReady'),
      num(o, 'status', 'updatedNumberScheduled'),
      num(o, 'status', 'numberAvailable'),
      formatLabels(strMap(o, 'spec', 'template', 'spec', 'nodeSelector')),
      ageOf(o, now),
      names,
      images,
      formatLabelSelector(get(o, 'spec', 'selector')),
    ];
  },
};

/** True when the job has a condition of this type, judged by its first occurrence. */
function jobCondition(o: Obj, type: string): boolean {
  const c = objs(o, 'status', 'conditions').find((x) => str(x, 'type') === type);
  return c !== undefined && str(c, 'status') === 'True';
}

function jobStatus(o: Obj): string {
  if (jobCondition(o, 'Complete')) return 'Complete';
  if (jobCondition(o, 'Failed')) return 'Failed';
  if (isDeleting(o)) return 'Terminating';
  if (jobCondition(o, 'Suspended')) return 'Suspended';
  if (jobCondition(o, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobCompletions(o: Obj): string {
  const succeeded = num(o, 'status', 'succeeded');
  const completions = optNum(o, 'spec', 'completions');
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = optNum(o, 'spec', 'parallelism') ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(o: Obj, now: Date): string {
  const start = parseTime(get(o, 'status', 'startTime'));
  if (!start) return '';
  const end = parseTime(get(o, 'status', 'completionTime')) ?? now;
  return humanDuration(end.getTime() - start.getTime());
}

export const jobPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', 'Succeeded pods out of the required completions.'),
    col('Duration', 'string', 'How long the job ran, or has been running.'),
    ageCol(),
    ...containerColumns(true),
  ],
  cells(o, now) {
    const [names, images] = containerCells(templateContainers(o));
    return [
      nameOf(o),
      jobStatus(o),
      jobCompletions(o),
      jobDuration(o, now),
      ageOf(o, now),
      names,
      images,
      formatLabelSelector(get(o, 'spec', 'selector')),
    ];
  },
};

/** Upstream prints optional booleans as True/False/<unset>. */
function boolPtrText(v: boolean | undefined): string {
  if (v === undefined) return '<unset>';
  return v ? 'True' : 'False';
}

export const cronJobPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Schedule', 'string', 'The cron schedule.'),
    col('Timezone', 'string', 'Time zone the schedule is interpreted in.'),
    col('Suspend', 'boolean', 'Whether new runs are suspended.'),
    col('Active', 'integer', 'Number of running jobs.'),
    col('Last Schedule', 'string', 'Time since a job was last scheduled.'),
    ageCol(),
    ...containerColumns(true),
  ],
  cells(o, now) {
    const jobTemplate = obj(o, 'spec', 'jobTemplate');
    const [names, images] = containerCells(templateContainers(jobTemplate));
    const last = get(o, 'status', 'lastScheduleTime');
    return [
      nameOf(o),
      str(o, 'spec', 'schedule'),
      optStr(o, 'spec', 'timeZone') ?? '<none>',
      boolPtrText(optBool(o, 'spec', 'suspend')),
      objs(o, 'status', 'active').length,
      last === undefined || last === null ? '<none>' : timestampSince(last, now),
      ageOf(o, now),
      names,
      images,
      formatLabelSelector(get(jobTemplate, 'spec', 'selector')),
    ];
  },
};

export const podTemplatePrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Containers', 'string', 'Names of the containers in the template.'),
    col('Images', 'string', 'Images of the containers in the template.'),
    col('Pod Labels', 'string', 'Labels of the pod template.'),
  ],
  cells(o) {
    const template = obj(o, 'template');
    const [names, images] = containerCells(objs(template, 'spec', 'containers'));
    return [nameOf(o), names, images, formatLabels(strMap(template, 'metadata', 'labels'))];
  },
};

/** The controlling owner as `kind.group/name` (lower-cased kind and group). */
function controllerName(o: Obj): string {
  const ref = objs(o, 'metadata', 'ownerReferences').find((r) => get(r, 'controller') === true);
  if (!ref) return '<none>';
  const apiVersion = str(ref, 'apiVersion');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = str(ref, 'kind');
  if (kind === '' && group === '') return str(ref, 'name');
  const groupKind = group === '' ? kind : `${kind}.${group}`;
  return `${groupKind.toLowerCase()}/${str(ref, 'name')}`;
}

export const controllerRevisionPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Controller', 'string', 'The object that owns this revision.'),
    col('Revision', 'string', 'The revision number.'),
    ageCol(),
  ],
  cells(o, now) {
    return [nameOf(o), controllerName(o), num(o, 'revision'), ageOf(o, now)];
  },
};
