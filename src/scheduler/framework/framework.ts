// A profile's plugins wired per extension point, and the runners the
// scheduling and binding cycles call. Plugin failures surface as Status;
// a plugin that throws anyway is turned into an Error status.
import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from '../cache/pod-info.js';
import type { Snapshot } from '../cache/snapshot.js';
import { CycleState } from './cycle-state.js';
import type { ClusterEventWithHint } from './events.js';
import {
  isEnqueueExtensions,
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  type BindPlugin,
  type FilterPlugin,
  type Handle,
  type NodeScore,
  type PermitPlugin,
  type Plugin,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PostFilterResult,
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ReservePlugin,
  type ScorePlugin,
} from './interfaces.js';
import { Status, type NodeToStatus } from './status.js';

export interface WeightedScorePlugin {
  plugin: ScorePlugin;
  weight: number;
}

export interface PluginScore {
  plugin: string;
  /** Normalized score times the plugin weight. */
  score: number;
}

export interface NodePluginScores {
  name: string;
  scores: PluginScore[];
  total: number;
}

export interface FrameworkPlugins {
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  postFilter: PostFilterPlugin[];
  preScore: PreScorePlugin[];
  score: WeightedScorePlugin[];
  reserve: ReservePlugin[];
  permit: PermitPlugin[];
  preBind: PreBindPlugin[];
  bind: BindPlugin[];
  postBind: PostBindPlugin[];
}

const EMPTY_SNAPSHOT: Snapshot = {
  list: () => [],
  get: () => undefined,
  havePodsWithAffinity: () => [],
  havePodsWithRequiredAntiAffinity: () => [],
  namespaceLabels: new Map(),
  termGroups: () => [],
};

function guard(plugin: string, fn: () => Status): Status {
  try {
    return fn().withPlugin(plugin);
  } catch (e) {
    return Status.error(e).withPlugin(plugin);
  }
}

export class Framework implements Handle {
  readonly points: FrameworkPlugins = {
    preFilter: [],
    filter: [],
    postFilter: [],
    preScore: [],
    score: [],
    reserve: [],
    permit: [],
    preBind: [],
    bind: [],
    postBind: [],
  };
  /** Every instantiated plugin by name. */
  readonly plugins = new Map<string, Plugin>();
  private snap: Snapshot = EMPTY_SNAPSHOT;

  constructor(
    readonly profileName: string,
    readonly percentageOfNodesToScore: number | undefined,
    private readonly randomFn: (n: number) => number = (n) => Math.floor(Math.random() * n),
  ) {}

  // ---- Handle ----

  snapshot(): Snapshot {
    return this.snap;
  }

  setSnapshot(s: Snapshot): void {
    this.snap = s;
  }

  random(n: number): number {
    return this.randomFn(n);
  }

  // ---- scheduling cycle ----

  /** Runs PreFilter; a rejection fails the whole cycle. Results narrowing the node set are intersected. */
  runPreFilterPlugins(
    state: CycleState,
    pod: PodInfo,
    nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status; narrowedBy: string[] } {
    let names: Set<string> | undefined;
    const narrowedBy: string[] = [];
    for (const pl of this.points.preFilter) {
      let result: PreFilterResult | undefined;
      const st = guard(pl.name, () => {
        const r = pl.preFilter(state, pod, nodes);
        result = r.result;
        return r.status;
      });
      if (st.isSkip()) {
        state.skipFilterPlugins.add(pl.name);
        continue;
      }
      if (!st.isSuccess()) return { status: st, narrowedBy };
      if (result?.nodeNames) {
        narrowedBy.push(pl.name);
        const next: Set<string> = names ? new Set([...names].filter((n) => result!.nodeNames!.has(n))) : new Set(result.nodeNames);
        names = next;
        if (names.size === 0 && narrowedBy.length > 1) {
          const msg = `node(s) didn't satisfy plugin(s) [${[...narrowedBy].sort().join(' ')}] simultaneously`;
          return { status: Status.unresolvable(msg).withPlugin(pl.name), narrowedBy };
        }
      }
    }
    return names ? { result: { nodeNames: names }, status: Status.SUCCESS, narrowedBy } : { status: Status.SUCCESS, narrowedBy };
  }

  /** The Filter plugins a cycle runs (those PreFilter did not skip), worked out once per cycle state. */
  private filtersFor(state: CycleState): readonly FilterPlugin[] {
    if (this.filtersState !== state) {
      this.filtersState = state;
      this.filters = this.points.filter.filter((pl) => !state.skipFilterPlugins.has(pl.name));
    }
    return this.filters;
  }
  private filtersState: CycleState | undefined;
  private filters: readonly FilterPlugin[] = [];

  /** The first non-success filter status (with its plugin), or Success. */
  runFilterPlugins(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    for (const pl of this.filtersFor(state)) {
      let st: Status;
      try {
        st = pl.filter(state, pod, nodeInfo);
      } catch (e) {
        st = Status.error(e);
      }
      if (!st.isSuccess()) return st.withPlugin(pl.name);
    }
    return Status.SUCCESS;
  }

  /**
   * Filters as if the nominated pods at least as important as `pod` were
   * already on the node; the pod must fit both with and without them.
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo, nominated: readonly PodInfo[]): Status {
    if (nominated.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    const ahead = nominated.filter((n) => n.key !== pod.key && n.priority >= pod.priority);
    if (ahead.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    const withState = state.clone();
    const withNode = nodeInfo.clone();
    for (const n of ahead) {
      withNode.addPod(n);
      const st = this.runPreFilterExtensionAddPod(withState, pod, n, withNode);
      if (!st.isSuccess()) return st;
    }
    const st = this.runFilterPlugins(withState, pod, withNode);
    if (!st.isSuccess()) return st;
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): Status {
    for (const pl of this.points.preFilter) {
      if (state.skipFilterPlugins.has(pl.name)) continue;
      const ext = pl.preFilterExtensions?.();
      if (!ext) continue;
      const st = guard(pl.name, () => ext.addPod(state, pod, toAdd, nodeInfo));
      if (!st.isSuccess()) return st;
    }
    return Status.SUCCESS;
  }

  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): Status {
    for (const pl of this.points.preFilter) {
      if (state.skipFilterPlugins.has(pl.name)) continue;
      const ext = pl.preFilterExtensions?.();
      if (!ext) continue;
      const st = guard(pl.name, () => ext.removePod(state, pod, toRemove, nodeInfo));
      if (!st.isSuccess()) return st;
    }
    return Status.SUCCESS;
  }

  /** Runs PostFilter plugins until one succeeds (e.g. preemption nominated a node). */
  runPostFilterPlugins(state: CycleState, pod: PodInfo, filtered: NodeToStatus): { result?: PostFilterResult; status: Status } {
    const reasons: string[] = [];
    let lastRejected: Status | undefined;
    for (const pl of this.points.postFilter) {
      let result: PostFilterResult | undefined;
      const st = guard(pl.name, () => {
        const r = pl.postFilter(state, pod, filtered);
        result = r.result;
        return r.status;
      });
      if (st.isSuccess()) return result ? { result, status: st } : { status: st };
      if (st.code === 'Error') return { status: st };
      if (st.isRejected()) {
        reasons.push(...st.reasons);
        lastRejected = st;
      }
    }
    if (!lastRejected) return { status: Status.unschedulable() };
    const out = new Status(lastRejected.code, reasons);
    out.plugin = lastRejected.plugin;
    return { status: out };
  }

  runPreScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status {
    for (const pl of this.points.preScore) {
      const st = guard(pl.name, () => pl.preScore(state, pod, nodes));
      if (st.isSkip()) {
        state.skipScorePlugins.add(pl.name);
        continue;
      }
      if (!st.isSuccess()) return st;
    }
    return Status.SUCCESS;
  }

  /** Scores every node with every (non-skipped) score plugin: normalized, weighted, summed. */
  runScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { scores: NodePluginScores[]; status: Status } {
    const out: NodePluginScores[] = nodes.map((n) => ({ name: n.name, scores: [], total: 0 }));
    // One list of node scores, refilled by each plugin (normalizing only rewrites
    // its scores): Score runs on hundreds of nodes for every pod.
    const raw: NodeScore[] = nodes.map((n) => ({ name: n.name, score: 0 }));
    for (const { plugin, weight } of this.points.score) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      for (let i = 0; i < nodes.length; i++) {
        let r: { score: number; status?: Status };
        try {
          r = plugin.score(state, pod, nodes[i]!);
        } catch (e) {
          r = { score: 0, status: Status.error(e) };
        }
        if (r.status && !r.status.isSuccess()) return { scores: [], status: r.status.withPlugin(plugin.name) };
        raw[i]!.score = r.score;
      }
      if (plugin.normalizeScore) {
        const st = guard(plugin.name, () => plugin.normalizeScore!(state, pod, raw));
        if (!st.isSuccess()) return { scores: [], status: st };
      }
      for (let i = 0; i < raw.length; i++) {
        const s = raw[i]!.score;
        if (s > MAX_NODE_SCORE || s < MIN_NODE_SCORE) {
          const st = Status.error(
            `plugin "${plugin.name}" returns an invalid score ${s}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`,
          );
          return { scores: [], status: st.withPlugin(plugin.name) };
        }
        const weighted = s * weight;
        out[i]!.scores.push({ plugin: plugin.name, score: weighted });
        out[i]!.total += weighted;
      }
    }
    return { scores: out, status: Status.SUCCESS };
  }

  // ---- binding cycle ----

  runReservePluginsReserve(state: CycleState, pod: PodInfo, nodeName: string): Status {
    for (const pl of this.points.reserve) {
      const st = guard(pl.name, () => pl.reserve(state, pod, nodeName));
      if (!st.isSuccess()) return st;
    }
    return Status.SUCCESS;
  }

  /** In reverse order, as upstream; every plugin runs. */
  runReservePluginsUnreserve(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (let i = this.points.reserve.length - 1; i >= 0; i--) {
      try {
        this.points.reserve[i]!.unreserve(state, pod, nodeName);
      } catch {
        // unreserve must not fail the caller
      }
    }
  }

  /** Success, a rejection, or Wait with the shortest timeout among waiting plugins. */
  runPermitPlugins(state: CycleState, pod: PodInfo, nodeName: string): { status: Status; timeoutMs?: number } {
    let wait: number | undefined;
    for (const pl of this.points.permit) {
      let timeout: number | undefined;
      const st = guard(pl.name, () => {
        const r = pl.permit(state, pod, nodeName);
        timeout = r.timeoutMs;
        return r.status;
      });
      if (st.code === 'Wait') {
        wait = Math.min(wait ?? Infinity, timeout ?? 0);
        continue;
      }
      if (!st.isSuccess() && !st.isSkip()) return { status: st };
    }
    return wait !== undefined ? { status: new Status('Wait'), timeoutMs: wait } : { status: Status.SUCCESS };
  }

  async runPreBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status> {
    for (const pl of this.points.preBind) {
      let st: Status;
      try {
        st = (await pl.preBind(state, pod, nodeName)).withPlugin(pl.name);
      } catch (e) {
        st = Status.error(e).withPlugin(pl.name);
      }
      if (!st.isSuccess() && !st.isSkip()) return st;
    }
    return Status.SUCCESS;
  }

  /** The first bind plugin that does not Skip decides. */
  async runBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status> {
    for (const pl of this.points.bind) {
      let st: Status;
      try {
        st = (await pl.bind(state, pod, nodeName)).withPlugin(pl.name);
      } catch (e) {
        st = Status.error(e).withPlugin(pl.name);
      }
      if (!st.isSkip()) return st;
    }
    return new Status('Skip', ['all bind plugins skipped']);
  }

  runPostBindPlugins(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const pl of this.points.postBind) {
      try {
        pl.postBind(state, pod, nodeName);
      } catch {
        // informational only
      }
    }
  }

  /** Plugin name → the events after which a pod it rejected may fit. */
  eventsToRegister(): Map<string, ClusterEventWithHint[]> {
    const out = new Map<string, ClusterEventWithHint[]>();
    for (const p of this.plugins.values()) if (isEnqueueExtensions(p)) out.set(p.name, p.eventsToRegister());
    return out;
  }

  newCycleState(): CycleState {
    return new CycleState();
  }
}
