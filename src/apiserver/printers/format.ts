// Small formatting helpers shared by printers: label maps, label selectors,
// container name/image lists, access modes and "a,b,c + N more..." lists.

import { isObj, objs, str, strMap, strs, type Obj } from './access.js';

/** Go's sort.Strings order (byte order), not locale order. */
export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** labels.FormatLabels: `k=v,k2=v2` sorted by key, `<none>` when empty. */
export function formatLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort(byteCompare);
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels[k]}`).join(',');
}

export class InvalidSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSelectorError';
  }
}

/**
 * A metav1.LabelSelector as the string its Selector prints: requirements sorted
 * by key, `in`/`notin` value lists sorted. Empty or missing selector prints "".
 * Throws InvalidSelectorError on an unknown operator.
 */
export function labelSelectorString(selector: unknown): string {
  if (!isObj(selector)) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(strMap(selector, 'matchLabels'))) {
    reqs.push({ key: k, text: `${k}=${v}` });
  }
  for (const expr of objs(selector, 'matchExpressions')) {
    const key = str(expr, 'key');
    const values = strs(expr, 'values').slice().sort(byteCompare).join(',');
    const op = str(expr, 'operator');
    switch (op) {
      case 'In':
        reqs.push({ key, text: `${key} in (${values})` });
        break;
      case 'NotIn':
        reqs.push({ key, text: `${key} notin (${values})` });
        break;
      case 'Exists':
        reqs.push({ key, text: key });
        break;
      case 'DoesNotExist':
        reqs.push({ key, text: `!${key}` });
        break;
      default:
        throw new InvalidSelectorError(`"${op}" is not a valid label selector operator`);
    }
  }
  // Stable sort by key, as the selector's requirement list is kept sorted.
  reqs.sort((a, b) => byteCompare(a.key, b.key));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(selector: unknown): string {
  try {
    const s = labelSelectorString(selector);
    return s === '' ? '<none>' : s;
  } catch (e) {
    if (e instanceof InvalidSelectorError) return '<error>';
    throw e;
  }
}

/** Container names and images, comma-joined (the CONTAINERS/IMAGES wide cells). */
export function containerCells(containers: Obj[]): [string, string] {
  return [containers.map((c) => str(c, 'name')).join(','), containers.map((c) => str(c, 'image')).join(',')];
}

/** The pod template's containers of a workload: spec.template.spec.containers. */
export function templateContainers(workload: unknown): Obj[] {
  return objs(workload, 'spec', 'template', 'spec', 'containers');
}

const ACCESS_MODE_ABBREV: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** Access modes as `RWO,ROX,...` in upstream's fixed order. */
export function accessModesString(modes: string[]): string {
  return ACCESS_MODE_ABBREV.filter(([m]) => modes.includes(m))
    .map(([, a]) => a)
    .join(',');
}

/** Joins the first items and appends " + N more..." when there were more than max. */
export function listWithMore(list: string[], total: number, max: number, emptyText: string): string {
  const ret = list.join(',');
  if (total > max) return `${ret} + ${total - max} more...`;
  return ret === '' ? emptyText : ret;
}
