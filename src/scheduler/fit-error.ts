// The FailedScheduling message, formatted as upstream's FitError:
// `0/N nodes are available: <count> <reason>, ... .` with reasons sorted as
// strings, then the PreFilter message (instead of the per-node histogram)
// and the PostFilter (preemption) message.
import type { NodeToStatus } from './framework/status.js';

export interface Diagnosis {
  /** Filter outcome per node that was evaluated (or every node, after a PreFilter rejection). */
  nodeToStatus: NodeToStatus;
  /** Plugins that rejected the pod; the queue retries it on their events. */
  unschedulablePlugins: Set<string>;
  /** Set when PreFilter rejected the pod. */
  preFilterMsg?: string;
  postFilterMsg?: string;
}

export function newDiagnosis(): Diagnosis {
  return { nodeToStatus: new Map(), unschedulablePlugins: new Set() };
}

function sentence(msg: string): string {
  return msg.endsWith('.') ? ` ${msg}` : ` ${msg}.`;
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += sentence(d.preFilterMsg);
  else {
    const histogram = new Map<string, number>();
    for (const st of d.nodeToStatus.values()) for (const r of st.reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
    // Go's sort.Strings: byte order of "<count> <reason>".
    const parts = [...histogram].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (parts.length) msg += sentence(parts.join(', '));
  }
  if (d.postFilterMsg) msg += sentence(d.postFilterMsg);
  return msg;
}

/** The scheduling cycle found no node for the pod. */
export class FitError extends Error {
  override readonly name = 'FitError';
  constructor(
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super(fitErrorMessage(numAllNodes, diagnosis));
  }
}
