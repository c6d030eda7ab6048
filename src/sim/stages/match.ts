// Which stage applies to a pod: the first whose selector holds.
import type { KubeObject } from '../../api/meta.js';
import { parseFieldPath, valuesAt, type PathSegment } from './field-path.js';
import type { FieldExpression, Stage, StageSelector } from './types.js';

/** A stage with its field paths parsed once. */
export interface CompiledStage {
  stage: Stage;
  expressions: { expr: FieldExpression; path: PathSegment[] }[];
}

export function compileStages(stages: readonly Stage[]): CompiledStage[] {
  return stages.map((stage) => ({
    stage,
    expressions: (stage.selector.matchExpressions ?? []).map((expr) => ({ expr, path: parseFieldPath(expr.key) })),
  }));
}

const exists = (vals: unknown[]) => vals.some((v) => !(Array.isArray(v) && v.length === 0));
const asString = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function expressionHolds(obj: unknown, expr: FieldExpression, path: PathSegment[]): boolean {
  const vals = valuesAt(obj, path);
  switch (expr.operator) {
    case 'Exists':
      return exists(vals);
    case 'DoesNotExist':
      return !exists(vals);
    case 'In':
      return vals.some((v) => (expr.values ?? []).includes(asString(v)));
    case 'NotIn':
      return !vals.some((v) => (expr.values ?? []).includes(asString(v)));
  }
}

function mapMatches(want: Record<string, string> | undefined, have: Record<string, string> | undefined): boolean {
  if (!want) return true;
  return Object.entries(want).every(([k, v]) => have?.[k] === v);
}

function selectorHolds(pod: KubeObject, sel: StageSelector, compiled: CompiledStage): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase || 'Pending';
  if (sel.phase && !sel.phase.includes(phase)) return false;
  if (sel.deleting !== undefined && sel.deleting !== Boolean(pod.metadata.deletionTimestamp)) return false;
  if (!mapMatches(sel.matchLabels, pod.metadata.labels)) return false;
  if (!mapMatches(sel.matchAnnotations, pod.metadata.annotations)) return false;
  return compiled.expressions.every(({ expr, path }) => expressionHolds(pod, expr, path));
}

/** The first stage whose selector holds for the pod, if any. */
export function matchStage(pod: KubeObject, stages: readonly CompiledStage[]): CompiledStage | undefined {
  return stages.find((c) => selectorHolds(pod, c.stage.selector, c));
}
