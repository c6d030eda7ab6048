// The pods printer: READY, STATUS (with every reason upstream derives from
// init containers, containers, deletion and scheduling gates), RESTARTS with
// the "(5m ago)" suffix, AGE; wide: IP, NODE, NOMINATED NODE, READINESS GATES.

import { get, isObj, num, obj, objs, str, type Obj } from './access.js';
import { ageCol, col, nameCol, wide } from './columns.js';
import { humanDuration, parseTime, timestampSince } from './duration.js';
import type { TablePrinter, TableRowCondition } from './types.js';

/** The status.reason the node controller sets on pods of an unreachable node. */
const NODE_LOST_REASON = 'NodeLost';

const isRestartable = (c: Obj | undefined): boolean => c !== undefined && str(c, 'restartPolicy') === 'Always';

function hasCondition(pod: Obj, type: string): boolean {
  return objs(pod, 'status', 'conditions').some((c) => str(c, 'type') === type && str(c, 'status') === 'True');
}

/** The later of a running maximum and a container's last termination time. */
function laterFinish(current: Date | undefined, status: Obj): Date | undefined {
  const t = parseTime(get(status, 'lastState', 'terminated', 'finishedAt'));
  if (!t) return current;
  return !current || current.getTime() < t.getTime() ? t : current;
}

/** STATUS text for a terminated container that gave no reason. */
function exitText(prefix: string, terminated: Obj): string {
  const signal = num(terminated, 'signal');
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${num(terminated, 'exitCode')}`;
}

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

export function summarizePod(pod: Obj, now: Date): PodSummary {
  const spec = obj(pod, 'spec');
  const status = obj(pod, 'status');
  const phase = str(status, 'phase');
  let reason = str(status, 'reason') || phase;

  if (objs(status, 'conditions').some((c) => str(c, 'type') === 'PodScheduled' && str(c, 'reason') === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }

  const initSpecs = objs(spec, 'initContainers');
  const initByName = new Map(initSpecs.map((c) => [str(c, 'name'), c] as const));
  const total = objs(spec, 'containers').length + initSpecs.filter(isRestartable).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: Date | undefined;
  let lastSidecarRestart: Date | undefined;

  let initializing = false;
  const initStatuses = objs(status, 'initContainerStatuses');
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const count = num(cs, 'restartCount');
    restarts += count;
    lastRestart = laterFinish(lastRestart, cs);
    const sidecar = isRestartable(initByName.get(str(cs, 'name')));
    if (sidecar) {
      sidecarRestarts += count;
      lastSidecarRestart = laterFinish(lastSidecarRestart, cs);
    }
    const terminated = get(cs, 'state', 'terminated');
    const waiting = get(cs, 'state', 'waiting');
    if (isObj(terminated) && num(terminated, 'exitCode') === 0) continue;
    if (sidecar && get(cs, 'started') === true) {
      if (get(cs, 'ready') === true) ready++;
      continue;
    }
    if (isObj(terminated)) {
      const r = str(terminated, 'reason');
      reason = r === '' ? exitText('Init:', terminated) : `Init:${r}`;
    } else if (isObj(waiting) && str(waiting, 'reason') !== '' && str(waiting, 'reason') !== 'PodInitializing') {
      reason = `Init:${str(waiting, 'reason')}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = objs(status, 'containerStatuses');
    // Walk backwards so the first container's state wins, as upstream does.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += num(cs, 'restartCount');
      lastRestart = laterFinish(lastRestart, cs);
      const waiting = get(cs, 'state', 'waiting');
      const terminated = get(cs, 'state', 'terminated');
      if (isObj(waiting) && str(waiting, 'reason') !== '') {
        reason = str(waiting, 'reason');
      } else if (isObj(terminated) && str(terminated, 'reason') !== '') {
        reason = str(terminated, 'reason');
      } else if (isObj(terminated)) {
        reason = exitText('', terminated);
      } else if (get(cs, 'ready') === true && isObj(get(cs, 'state', 'running'))) {
        hasRunning = true;
        ready++;
      }
    }
    // A completed container next to a running one: the pod is still running.
    if (reason === 'Completed' && hasRunning) {
      reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const deleting = str(pod, 'metadata', 'deletionTimestamp') !== '';
  if (deleting && str(status, 'reason') === NODE_LOST_REASON) {
    reason = 'Unknown';
  } else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating';
  }

  let restartText = String(restarts);
  if (restarts !== 0 && lastRestart) {
    restartText = `${restarts} (${humanDuration(now.getTime() - lastRestart.getTime())} ago)`;
  }
  return { ready: `${ready}/${total}`, status: reason, restarts: restartText };
}

function readinessGates(pod: Obj): string {
  const gates = objs(pod, 'spec', 'readinessGates');
  if (gates.length === 0) return '<none>';
  const conditions = objs(pod, 'status', 'conditions');
  let trueCount = 0;
  for (const gate of gates) {
    const c = conditions.find((x) => str(x, 'type') === str(gate, 'conditionType'));
    if (c && str(c, 'status') === 'True') trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

function podIP(pod: Obj): string {
  const ips = objs(pod, 'status', 'podIPs');
  const ip = ips.length > 0 ? str(ips[0], 'ip') : str(pod, 'status', 'podIP');
  return ip || '<none>';
}

export const podPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Ready', 'string', 'Ready containers out of all containers of the pod.'),
    col('Status', 'string', 'Summary of the state of the pod and its containers.'),
    col('Restarts', 'string', 'Container restarts in this pod, and how long ago the last one was.'),
    ageCol(),
    wide('IP', 'string', 'The pod IP address.'),
    wide('Node', 'string', 'The node the pod is bound to.'),
    wide('Nominated Node', 'string', 'The node the scheduler nominated for preemption.'),
    wide('Readiness Gates', 'string', 'Readiness gate conditions that are true.'),
  ],
  cells(pod, now) {
    const s = summarizePod(pod, now);
    return [
      str(pod, 'metadata', 'name'),
      s.ready,
      s.status,
      s.restarts,
      timestampSince(get(pod, 'metadata', 'creationTimestamp'), now),
      podIP(pod),
      str(pod, 'spec', 'nodeName') || '<none>',
      str(pod, 'status', 'nominatedNodeName') || '<none>',
      readinessGates(pod),
    ];
  },
  conditions(pod): TableRowCondition[] | undefined {
    switch (str(pod, 'status', 'phase')) {
      case 'Succeeded':
        return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
      case 'Failed':
        return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
      default:
        return undefined;
    }
  },
};
