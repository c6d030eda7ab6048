// Reads a StageConfig from JSON or YAML, checks it and turns durations into
// milliseconds, so a bad file fails at start rather than on the first pod.
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../duration.js';
import { SimConfigError } from '../errors.js';
import { parseFieldPath } from './field-path.js';
import type { Stage, StageConfig, StageDelay } from './types.js';
import { isObject as isRecord } from '../../api/json.js';

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);
const PHASES = new Set(['Pending', 'Running', 'Succeeded', 'Failed']);
const CONTAINER_STATES = new Set(['waiting', 'running', 'terminated', 'restarted']);

function durationField(d: Record<string, unknown>, ms: string, text: string, where: string): number | undefined {
  const v = d[ms] ?? d[text];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' && typeof v !== 'string') throw new SimConfigError(`${where}: ${text} must be a duration`);
  return parseDuration(v);
}

function checkDelay(raw: unknown, where: string): StageDelay | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) throw new SimConfigError(`${where}: delay must be an object`);
  const delay: StageDelay = {};
  const duration = durationField(raw, 'durationMs', 'duration', where);
  const jitter = durationField(raw, 'jitterMs', 'jitter', where);
  if (duration !== undefined) delay.durationMs = duration;
  if (jitter !== undefined) delay.jitterMs = jitter;
  if (raw.fromAnnotations !== undefined) {
    if (!Array.isArray(raw.fromAnnotations) || !raw.fromAnnotations.every((a) => typeof a === 'string')) throw new SimConfigError(`${where}: delay.fromAnnotations must be a list of names`);
    delay.fromAnnotations = raw.fromAnnotations;
  }
  if (raw.capToGracePeriod !== undefined) delay.capToGracePeriod = raw.capToGracePeriod === true;
  return delay;
}

function checkStage(raw: unknown, i: number): Stage {
  const where = `stages[${i}]`;
  if (!isRecord(raw)) throw new SimConfigError(`${where}: must be an object`);
  if (typeof raw.name !== 'string' || !raw.name) throw new SimConfigError(`${where}: name is required`);
  const sel = raw.selector ?? {};
  if (!isRecord(sel)) throw new SimConfigError(`${where}: selector must be an object`);
  if (sel.phase !== undefined && (!Array.isArray(sel.phase) || !sel.phase.every((p) => PHASES.has(p as string)))) throw new SimConfigError(`${where}: selector.phase must list pod phases`);
  if (sel.deleting !== undefined && typeof sel.deleting !== 'boolean') throw new SimConfigError(`${where}: selector.deleting must be true or false`);
  for (const e of (sel.matchExpressions ?? []) as unknown[]) {
    if (!isRecord(e) || typeof e.key !== 'string' || !OPERATORS.has(e.operator as string)) throw new SimConfigError(`${where}: each matchExpression needs a key and an operator (In, NotIn, Exists, DoesNotExist)`);
    parseFieldPath(e.key);
  }
  const next = raw.next;
  if (!isRecord(next)) throw new SimConfigError(`${where}: next is required`);
  if (next.phase !== undefined && !PHASES.has(next.phase as string)) throw new SimConfigError(`${where}: next.phase must be a pod phase`);
  if (next.containers !== undefined && (!isRecord(next.containers) || !CONTAINER_STATES.has(next.containers.state as string))) throw new SimConfigError(`${where}: next.containers.state must be waiting, running, terminated or restarted`);
  const stage = { ...raw, selector: sel, next } as unknown as Stage;
  const delay = checkDelay(raw.delay, where);
  if (delay) stage.delay = delay;
  else delete stage.delay;
  return stage;
}

/** Checks a parsed config (an object with `stages`, or a bare list of stages). */
export function parseStageConfig(doc: unknown): StageConfig {
  const list = Array.isArray(doc) ? doc : isRecord(doc) ? doc.stages : undefined;
  if (!Array.isArray(list)) throw new SimConfigError('a stage config needs a "stages" list');
  const names = new Set<string>();
  const stages = list.map((s, i) => {
    const stage = checkStage(s, i);
    if (names.has(stage.name)) throw new SimConfigError(`stages[${i}]: duplicate name ${stage.name}`);
    names.add(stage.name);
    return stage;
  });
  return { apiVersion: 'sim.kubets.io/v1alpha1', kind: 'StageConfig', stages };
}

/** Reads a JSON or YAML stage file. */
export function loadStageConfigFile(file: string): StageConfig {
  const text = fs.readFileSync(file, 'utf8');
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new SimConfigError(`${file}: ${(err as Error).message}`);
  }
  return parseStageConfig(doc);
}
