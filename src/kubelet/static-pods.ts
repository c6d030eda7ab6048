// Static pods: manifests (YAML or JSON, one pod each, or several YAML
// documents) in a directory, re-read when it changes and every 20 s. Each
// gets a UID from its content, file and node, so an edit makes a new pod;
// the API sees it through a mirror pod.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Pod } from '../api/core-v1.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';

export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
export const SOURCE_ANNOTATION = 'kubernetes.io/config.source';
export const HASH_ANNOTATION = 'kubernetes.io/config.hash';
export const SEEN_ANNOTATION = 'kubernetes.io/config.seen';

export const isMirrorPod = (p: Pod) => !!p.metadata.annotations?.[MIRROR_ANNOTATION];

/** A manifest as the pod the kubelet runs: node-suffixed name, content-derived UID. */
export function staticPodFrom(raw: Pod, file: string, nodeName: string): Pod {
  const hash = createHash('sha256').update(JSON.stringify(raw)).update(file).update(nodeName).digest('hex').slice(0, 32);
  const uid = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}`;
  const pod = structuredClone(raw);
  pod.apiVersion = 'v1';
  pod.kind = 'Pod';
  pod.metadata = {
    ...pod.metadata,
    name: `${raw.metadata.name}-${nodeName}`,
    namespace: raw.metadata.namespace || 'default',
    uid,
    annotations: { ...raw.metadata.annotations, [HASH_ANNOTATION]: uid, [SOURCE_ANNOTATION]: 'file' },
  };
  pod.spec = { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', ...pod.spec, nodeName };
  pod.spec.containers = pod.spec.containers.map((c) => ({ terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ...c }));
  delete pod.status;
  return pod;
}

/** The mirror pod object for a static pod. */
export function mirrorPodFor(pod: Pod, node: { name: string; uid?: string }): Pod {
  const m = structuredClone(pod);
  const { uid: _uid, resourceVersion: _rv, ...meta } = m.metadata;
  m.metadata = { ...meta, annotations: { ...meta.annotations, [MIRROR_ANNOTATION]: pod.metadata.uid! } };
  if (node.uid) m.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid, controller: true }];
  delete m.status;
  return m;
}

export interface StaticPodHandler {
  /** The current set of static pods (after every change). */
  (pods: Pod[]): void;
}

export class StaticPodSource {
  private watcher: fs.FSWatcher | undefined;
  private timer: unknown;
  private last = '';
  private stopped = false;

  constructor(
    private readonly dir: string,
    private readonly nodeName: string,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly onPods: StaticPodHandler,
    private readonly rescanMs = 20_000,
  ) {}

  /** Reads the directory now and starts watching it. */
  start(): void {
    this.scan();
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      this.watcher = fs.watch(this.dir, () => this.scan());
      this.watcher.on('error', () => undefined);
    } catch (err) {
      this.log.warn('cannot watch the static pod directory', { dir: this.dir, err });
    }
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    this.clock.clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.scan();
      this.schedule();
    }, this.rescanMs);
  }

  /** Reads every manifest; reports the set when it differs from the last one. */
  scan(): Pod[] {
    const pods: Pod[] = [];
    let files: string[] = [];
    try {
      files = fs.readdirSync(this.dir).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.startsWith('.')).sort();
    } catch {
      files = [];
    }
    for (const f of files) {
      const file = path.join(this.dir, f);
      try {
        const text = fs.readFileSync(file, 'utf8');
        const docs = f.endsWith('.json') ? [JSON.parse(text) as unknown] : parseAllDocuments(text).map((d) => d.toJSON() as unknown);
        for (const doc of docs) {
          const p = doc as Pod;
          if (!p || p.kind !== 'Pod' || !p.metadata?.name || !Array.isArray(p.spec?.containers)) continue;
          pods.push(staticPodFrom(p, file, this.nodeName));
        }
      } catch (err) {
        this.log.warn('cannot read a static pod manifest', { file, err });
      }
    }
    const sig = pods.map((p) => p.metadata.uid).join(',');
    if (sig !== this.last) {
      this.last = sig;
      this.onPods(pods);
    }
    return pods;
  }
}
