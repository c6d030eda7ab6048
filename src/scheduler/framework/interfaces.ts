// One small interface per extension point, as kube-scheduler's framework.
// A plugin implements any subset; the profile wires it where enabled.
import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from '../cache/pod-info.js';
import type { Snapshot } from '../cache/snapshot.js';
import type { Pod } from '../types.js';
import type { CycleState } from './cycle-state.js';
import type { ClusterEventWithHint } from './events.js';
import type { NodeToStatus, Status } from './status.js';

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

export interface Plugin {
  readonly name: string;
}

/** What plugins may reach through the framework. */
export interface Handle {
  /** The snapshot of the cycle in progress. */
  snapshot(): Snapshot;
  /** Runs every filter plugin for `pod` on `nodeInfo` (preemption's what-if). */
  runFilterPlugins(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status;
  /** Runs every PreFilter extension's addPod/removePod (preemption's what-if). */
  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): Status;
  /** An integer in [0, n); injected so tests are deterministic. */
  random(n: number): number;
}

export interface PreFilterResult {
  /** When set, only these nodes are worth filtering. */
  nodeNames?: ReadonlySet<string>;
}

export interface PreFilterExtensions {
  /** Updates the PreFilter state as if `toAdd` ran on `nodeInfo`. */
  addPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): Status;
  removePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): Status;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: Status };
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status;
}

export interface PostFilterResult {
  nominatedNodeName: string;
  /** Pods to evict so the pod fits on the nominated node. */
  victims: Pod[];
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, filtered: NodeToStatus): { result?: PostFilterResult; status: Status };
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): { score: number; status?: Status };
  /** Rescales raw scores into [0, 100] in place. */
  normalizeScore?(state: CycleState, pod: PodInfo, scores: NodeScore[]): Status;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): Status;
  /** Must be idempotent and never fail. */
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  /** `Wait` with a timeout delays binding until allowed or rejected. */
  permit(state: CycleState, pod: PodInfo, nodeName: string): { status: Status; timeoutMs?: number };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status>;
}

export interface BindPlugin extends Plugin {
  /** `Skip` passes the pod to the next bind plugin. */
  bind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: PodInfo, nodeName: string): void;
}

export interface EnqueueExtensions extends Plugin {
  /** Events after which a pod this plugin rejected may fit. */
  eventsToRegister(): ClusterEventWithHint[];
}

// ---- type guards: a plugin object is wired at every point it implements ----

const has = (p: Plugin, m: string): boolean => typeof (p as unknown as Record<string, unknown>)[m] === 'function';

export const isPreFilter = (p: Plugin): p is PreFilterPlugin => has(p, 'preFilter');
export const isFilter = (p: Plugin): p is FilterPlugin => has(p, 'filter');
export const isPostFilter = (p: Plugin): p is PostFilterPlugin => has(p, 'postFilter');
export const isPreScore = (p: Plugin): p is PreScorePlugin => has(p, 'preScore');
export const isScore = (p: Plugin): p is ScorePlugin => has(p, 'score');
export const isReserve = (p: Plugin): p is ReservePlugin => has(p, 'reserve');
export const isPermit = (p: Plugin): p is PermitPlugin => has(p, 'permit');
export const isPreBind = (p: Plugin): p is PreBindPlugin => has(p, 'preBind');
export const isBind = (p: Plugin): p is BindPlugin => has(p, 'bind');
export const isPostBind = (p: Plugin): p is PostBindPlugin => has(p, 'postBind');
export const isEnqueueExtensions = (p: Plugin): p is EnqueueExtensions => has(p, 'eventsToRegister');

export type ExtensionPoint =
  | 'preFilter'
  | 'filter'
  | 'postFilter'
  | 'preScore'
  | 'score'
  | 'reserve'
  | 'permit'
  | 'preBind'
  | 'bind'
  | 'postBind';

export const EXTENSION_POINTS: readonly ExtensionPoint[] = [
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'permit',
  'preBind',
  'bind',
  'postBind',
];

export function implementsPoint(p: Plugin, point: ExtensionPoint): boolean {
  return has(p, point);
}

/** Upstream's default normalization: scale to [0, 100], optionally reversed. */
export function defaultNormalizeScore(scores: NodeScore[], reverse: boolean, max = MAX_NODE_SCORE): void {
  let highest = 0;
  for (const s of scores) if (s.score > highest) highest = s.score;
  if (highest === 0) {
    if (reverse) for (const s of scores) s.score = max;
    return;
  }
  for (const s of scores) {
    let v = Math.trunc((max * s.score) / highest);
    if (reverse) v = max - v;
    s.score = v;
  }
}
