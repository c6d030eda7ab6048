// Printers for RBAC bindings, pod disruption budgets and horizontal pod
// autoscalers.

import { get, intOrString, isObj, num, obj, objs, optNum, str, type Obj } from './access.js';
import { ageCol, col, nameCol, wide } from './columns.js';
import { ageOf, nameOf } from './meta.js';
import { canonicalQuantity } from './quantity.js';
import type { TablePrinter } from './types.js';

function subjectCells(o: Obj): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of objs(o, 'subjects')) {
    switch (str(s, 'kind')) {
      case 'ServiceAccount':
        sas.push(`${str(s, 'namespace')}/${str(s, 'name')}`);
        break;
      case 'User':
        users.push(str(s, 'name'));
        break;
      case 'Group':
        groups.push(str(s, 'name'));
        break;
    }
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(what: string): TablePrinter {
  return {
    columns: [
      nameCol(),
      col('Role', 'string', 'The role granted, as Kind/name.'),
      ageCol(),
      wide('Users', 'string', `Users in the ${what}.`),
      wide('Groups', 'string', `Groups in the ${what}.`),
      wide('ServiceAccounts', 'string', `Service accounts in the ${what}.`),
    ],
    cells(o, now) {
      return [nameOf(o), `${str(o, 'roleRef', 'kind')}/${str(o, 'roleRef', 'name')}`, ageOf(o, now), ...subjectCells(o)];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');

export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Min Available', 'string', 'Pods that must stay available.'),
    col('Max Unavailable', 'string', 'Pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Pods that may be disrupted now.'),
    ageCol(),
  ],
  cells(o, now) {
    return [
      nameOf(o),
      intOrString(get(o, 'spec', 'minAvailable')) ?? 'N/A',
      intOrString(get(o, 'spec', 'maxUnavailable')) ?? 'N/A',
      num(o, 'status', 'disruptionsAllowed'),
      ageOf(o, now),
    ];
  },
};

const quantityOr = (v: unknown, fallback: string): string => (v === undefined || v === null ? fallback : canonicalQuantity(v));

/** TARGETS for one metric: `current/target`, as upstream prints each source type. */
function metricText(spec: Obj, status: Obj | undefined): string {
  const type = str(spec, 'type');
  switch (type) {
    case 'External':
    case 'Object': {
      const key = type === 'External' ? 'external' : 'object';
      const target = obj(spec, key, 'target');
      const current = status ? get(status, key) : undefined;
      if (get(target, 'averageValue') !== undefined) {
        const cur = isObj(current) ? quantityOr(get(current, 'current', 'averageValue'), '<unknown>') : '<unknown>';
        return `${cur}/${canonicalQuantity(get(target, 'averageValue'))} (avg)`;
      }
      const cur = isObj(current) ? canonicalQuantity(get(current, 'current', 'value')) : '<unknown>';
      return `${cur}/${canonicalQuantity(get(target, 'value'))}`;
    }
    case 'Pods': {
      const current = status ? get(status, 'pods') : undefined;
      const cur = isObj(current) ? canonicalQuantity(get(current, 'current', 'averageValue')) : '<unknown>';
      return `${cur}/${canonicalQuantity(get(spec, 'pods', 'target', 'averageValue'))}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const key = type === 'Resource' ? 'resource' : 'containerResource';
      const src = obj(spec, key);
      const target = obj(src, 'target');
      const current = status ? get(status, key) : undefined;
      const name = str(src, 'name');
      if (get(target, 'averageValue') !== undefined) {
        const cur = isObj(current) ? canonicalQuantity(get(current, 'current', 'averageValue')) : '<unknown>';
        return `${name}: ${cur}/${canonicalQuantity(get(target, 'averageValue'))}`;
      }
      const util = isObj(current) ? optNum(current, 'current', 'averageUtilization') : undefined;
      const cur = util === undefined ? '<unknown>' : `${util}%`;
      const targetUtil = optNum(target, 'averageUtilization');
      return `${name}: ${cur}/${targetUtil === undefined ? '<auto>' : `${targetUtil}%`}`;
    }
    default:
      return '<unknown type>';
  }
}

/** autoscaling/v1 objects carry a single CPU target; view them as a v2 metric. */
function hpaMetrics(o: Obj): { specs: Obj[]; statuses: Obj[] } {
  const target = optNum(o, 'spec', 'targetCPUUtilizationPercentage');
  if (get(o, 'spec', 'metrics') === undefined && target !== undefined) {
    const current = optNum(o, 'status', 'currentCPUUtilizationPercentage');
    return {
      specs: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }],
      statuses: current === undefined ? [] : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }],
    };
  }
  return { specs: objs(o, 'spec', 'metrics'), statuses: objs(o, 'status', 'currentMetrics') };
}

function hpaTargets(o: Obj): string {
  const { specs, statuses } = hpaMetrics(o);
  if (specs.length === 0) return '<none>';
  const max = 2;
  const list = specs.map((s, i) => metricText(s, statuses[i]));
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

export const horizontalPodAutoscalerPrinter: TablePrinter = {
  columns: [
    nameCol(),
    col('Reference', 'string', 'The scaled object, as Kind/name.'),
    col('Targets', 'string', 'Current and target metric values.'),
    col('MinPods', 'string', 'Lower replica limit.'),
    col('MaxPods', 'string', 'Upper replica limit.'),
    col('Replicas', 'string', 'Current replica count.'),
    ageCol(),
  ],
  cells(o, now) {
    const min = optNum(o, 'spec', 'minReplicas');
    return [
      nameOf(o),
      `${str(o, 'spec', 'scaleTargetRef', 'kind')}/${str(o, 'spec', 'scaleTargetRef', 'name')}`,
      hpaTargets(o),
      min === undefined ? '<unset>' : String(min),
      num(o, 'spec', 'maxReplicas'),
      num(o, 'status', 'currentReplicas'),
      ageOf(o, now),
    ];
  },
};
