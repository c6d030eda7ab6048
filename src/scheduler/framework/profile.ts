// Builds a Framework from a profile configuration: upstream's default
// MultiPoint set, minus what is disabled, plus what is enabled, expanded to
// every extension point each plugin implements.
import { ConfigError, DEFAULT_SCHEDULER_NAME, type PluginRef, type ProfileConfig, type SchedulerConfiguration } from './config.js';
import { Framework } from './framework.js';
import {
  EXTENSION_POINTS,
  implementsPoint,
  type BindPlugin,
  type ExtensionPoint,
  type FilterPlugin,
  type Handle,
  type PermitPlugin,
  type Plugin,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ReservePlugin,
  type ScorePlugin,
} from './interfaces.js';

export type PluginFactory = (args: Record<string, unknown>, handle: Handle) => Plugin;
export type Registry = ReadonlyMap<string, PluginFactory>;

/** Upstream's default MultiPoint plugins (v1), in order, with score weights. */
export const DEFAULT_MULTIPOINT: readonly PluginRef[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'VolumeRestrictions' },
  { name: 'NodeVolumeLimits' },
  { name: 'VolumeBinding' },
  { name: 'VolumeZone' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

/**
 * Upstream plugins kubets does not run (volumes, images, gates handled by the
 * queue, sorting done by the queue): accepted in configuration, then ignored.
 */
export const IGNORED_PLUGINS: ReadonlySet<string> = new Set([
  'SchedulingGates',
  'PrioritySort',
  'VolumeRestrictions',
  'NodeVolumeLimits',
  'VolumeBinding',
  'VolumeZone',
  'ImageLocality',
  'EBSLimits',
  'GCEPDLimits',
  'AzureDiskLimits',
  'CinderLimits',
  'DynamicResources',
]);

export interface BuildOptions {
  random?: (n: number) => number;
  /** The configuration's global value, used when the profile sets none. */
  percentageOfNodesToScore?: number;
}

const names = (refs: PluginRef[] | undefined): Set<string> => new Set((refs ?? []).map((r) => r.name));

export function buildFramework(cfg: ProfileConfig | undefined, registry: Registry, opts: BuildOptions = {}): Framework {
  const profile: ProfileConfig = cfg ?? { schedulerName: DEFAULT_SCHEDULER_NAME, plugins: {}, pluginConfig: [] };
  const fw = new Framework(profile.schedulerName, profile.percentageOfNodesToScore ?? opts.percentageOfNodesToScore, opts.random);
  const args = new Map(profile.pluginConfig.map((pc) => [pc.name, pc.args]));

  // 1. MultiPoint: defaults minus disabled ('*' = all), user entries replace or append.
  const mp = profile.plugins.multiPoint;
  const mpDisabled = names(mp?.disabled);
  let multi: PluginRef[] = mpDisabled.has('*') ? [] : DEFAULT_MULTIPOINT.filter((r) => !mpDisabled.has(r.name));
  for (const ref of mp?.enabled ?? []) {
    const i = multi.findIndex((r) => r.name === ref.name);
    if (i >= 0) multi[i] = ref;
    else multi = [...multi, ref];
  }

  const instances = new Map<string, Plugin>();
  const instance = (name: string): Plugin | undefined => {
    if (IGNORED_PLUGINS.has(name)) return undefined;
    let p = instances.get(name);
    if (!p) {
      const factory = registry.get(name);
      if (!factory) throw new ConfigError(`${JSON.stringify(name)} does not exist`);
      p = factory(args.get(name) ?? {}, fw);
      instances.set(name, p);
      fw.plugins.set(name, p);
    }
    return p;
  };

  // 2. Per extension point: the point's own enabled list first, then MultiPoint.
  for (const point of EXTENSION_POINTS) {
    const set = profile.plugins[point];
    const disabled = names(set?.disabled);
    const chosen: { plugin: Plugin; weight: number }[] = [];
    const seen = new Set<string>();
    for (const ref of set?.enabled ?? []) {
      const p = instance(ref.name);
      if (!p || seen.has(ref.name)) continue;
      if (!implementsPoint(p, point)) throw new ConfigError(`plugin ${JSON.stringify(ref.name)} does not extend ${point} plugin`);
      seen.add(ref.name);
      chosen.push({ plugin: p, weight: ref.weight || multi.find((r) => r.name === ref.name)?.weight || 1 });
    }
    if (!disabled.has('*')) {
      for (const ref of multi) {
        if (seen.has(ref.name) || disabled.has(ref.name)) continue;
        const p = instance(ref.name);
        if (!p || !implementsPoint(p, point)) continue;
        seen.add(ref.name);
        chosen.push({ plugin: p, weight: ref.weight || 1 });
      }
    }
    wire(fw, point, chosen);
  }
  return fw;
}

function wire(fw: Framework, point: ExtensionPoint, chosen: { plugin: Plugin; weight: number }[]): void {
  const ps = chosen.map((c) => c.plugin);
  const pts = fw.points;
  switch (point) {
    case 'preFilter':
      pts.preFilter = ps as PreFilterPlugin[];
      return;
    case 'filter':
      pts.filter = ps as FilterPlugin[];
      return;
    case 'postFilter':
      pts.postFilter = ps as PostFilterPlugin[];
      return;
    case 'preScore':
      pts.preScore = ps as PreScorePlugin[];
      return;
    case 'score':
      pts.score = chosen.map((c) => ({ plugin: c.plugin as ScorePlugin, weight: c.weight }));
      return;
    case 'reserve':
      pts.reserve = ps as ReservePlugin[];
      return;
    case 'permit':
      pts.permit = ps as PermitPlugin[];
      return;
    case 'preBind':
      pts.preBind = ps as PreBindPlugin[];
      return;
    case 'bind':
      pts.bind = ps as BindPlugin[];
      return;
    case 'postBind':
      pts.postBind = ps as PostBindPlugin[];
      return;
  }
}

/** One Framework per profile, by schedulerName (pods pick theirs with spec.schedulerName). */
export function buildProfiles(cfg: SchedulerConfiguration, registry: Registry, opts: Omit<BuildOptions, 'percentageOfNodesToScore'> = {}): Map<string, Framework> {
  const out = new Map<string, Framework>();
  for (const p of cfg.profiles) {
    const o: BuildOptions = { ...opts };
    if (cfg.percentageOfNodesToScore !== undefined) o.percentageOfNodesToScore = cfg.percentageOfNodesToScore;
    out.set(p.schedulerName, buildFramework(p, registry, o));
  }
  return out;
}
