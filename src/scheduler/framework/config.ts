// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1), the subset
// kubets honours: profiles with per-extension-point enable/disable lists,
// score weights, pluginConfig args and percentageOfNodesToScore.
import { parse as parseYaml } from 'yaml';
import { isObject as isRecord } from '../../api/json.js';

export const CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface PluginRef {
  name: string;
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}

export const PLUGIN_SET_NAMES = [
  'multiPoint',
  'preEnqueue',
  'queueSort',
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
] as const;
export type PluginSetName = (typeof PLUGIN_SET_NAMES)[number];
export type PluginsConfig = Partial<Record<PluginSetName, PluginSet>>;

export interface PluginConfigEntry {
  name: string;
  args: Record<string, unknown>;
}

export interface ProfileConfig {
  schedulerName: string;
  percentageOfNodesToScore?: number;
  plugins: PluginsConfig;
  pluginConfig: PluginConfigEntry[];
}

export interface SchedulerConfiguration {
  percentageOfNodesToScore?: number;
  podInitialBackoffSeconds: number;
  podMaxBackoffSeconds: number;
  profiles: ProfileConfig[];
}

function percentage(v: unknown, where: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100) {
    throw new ConfigError(`${where}: Invalid value: ${JSON.stringify(v)}: not in valid range [0-100]`);
  }
  return v;
}

function pluginRefs(v: unknown, where: string): PluginRef[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new ConfigError(`${where}: must be a list`);
  return v.map((item, i) => {
    if (!isRecord(item) || typeof item.name !== 'string' || !item.name) throw new ConfigError(`${where}[${i}].name: Required value`);
    const ref: PluginRef = { name: item.name };
    if (item.weight !== undefined) {
      if (typeof item.weight !== 'number' || !Number.isInteger(item.weight) || item.weight < 0) {
        throw new ConfigError(`${where}[${i}].weight: Invalid value: ${JSON.stringify(item.weight)}`);
      }
      ref.weight = item.weight;
    }
    return ref;
  });
}

function parsePlugins(v: unknown, where: string): PluginsConfig {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) throw new ConfigError(`${where}: must be an object`);
  const out: PluginsConfig = {};
  for (const [k, set] of Object.entries(v)) {
    if (!(PLUGIN_SET_NAMES as readonly string[]).includes(k)) throw new ConfigError(`${where}.${k}: unknown extension point`);
    if (set === null || set === undefined) continue;
    if (!isRecord(set)) throw new ConfigError(`${where}.${k}: must be an object`);
    const ps: PluginSet = {};
    const enabled = pluginRefs(set.enabled, `${where}.${k}.enabled`);
    const disabled = pluginRefs(set.disabled, `${where}.${k}.disabled`);
    if (enabled) ps.enabled = enabled;
    if (disabled) ps.disabled = disabled;
    out[k as PluginSetName] = ps;
  }
  return out;
}

function parseProfile(v: unknown, i: number): ProfileConfig {
  const where = `profiles[${i}]`;
  if (!isRecord(v)) throw new ConfigError(`${where}: must be an object`);
  const name = v.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  if (typeof name !== 'string' || !name) throw new ConfigError(`${where}.schedulerName: Required value`);
  const pluginConfig: PluginConfigEntry[] = [];
  const pcs = v.pluginConfig ?? [];
  if (!Array.isArray(pcs)) throw new ConfigError(`${where}.pluginConfig: must be a list`);
  const seen = new Set<string>();
  pcs.forEach((pc, j) => {
    if (!isRecord(pc) || typeof pc.name !== 'string') throw new ConfigError(`${where}.pluginConfig[${j}].name: Required value`);
    if (seen.has(pc.name)) throw new ConfigError(`${where}.pluginConfig[${j}]: Duplicate value: ${JSON.stringify(pc.name)}`);
    seen.add(pc.name);
    pluginConfig.push({ name: pc.name, args: isRecord(pc.args) ? pc.args : {} });
  });
  const out: ProfileConfig = { schedulerName: name, plugins: parsePlugins(v.plugins, `${where}.plugins`), pluginConfig };
  const pct = percentage(v.percentageOfNodesToScore, `${where}.percentageOfNodesToScore`);
  if (pct !== undefined) out.percentageOfNodesToScore = pct;
  return out;
}

/** Parses and validates a configuration file (YAML or JSON), applying defaults. */
export function parseSchedulerConfiguration(text: string): SchedulerConfiguration {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ConfigError(`invalid configuration: ${e instanceof Error ? e.message : String(e)}`);
  }
  return schedulerConfigurationFromObject(doc ?? {});
}

export function schedulerConfigurationFromObject(doc: unknown): SchedulerConfiguration {
  if (!isRecord(doc)) throw new ConfigError('configuration must be an object');
  if (doc.apiVersion !== undefined && doc.apiVersion !== CONFIG_API_VERSION) {
    throw new ConfigError(`no kind "KubeSchedulerConfiguration" is registered for version "${String(doc.apiVersion)}"`);
  }
  if (doc.kind !== undefined && doc.kind !== 'KubeSchedulerConfiguration') {
    throw new ConfigError(`no kind "${String(doc.kind)}" is registered for version "${CONFIG_API_VERSION}"`);
  }
  const rawProfiles = doc.profiles ?? [{}];
  if (!Array.isArray(rawProfiles)) throw new ConfigError('profiles: must be a list');
  const profiles = (rawProfiles.length ? rawProfiles : [{}]).map(parseProfile);
  const names = new Set<string>();
  profiles.forEach((p, i) => {
    if (names.has(p.schedulerName)) throw new ConfigError(`profiles[${i}].schedulerName: Duplicate value: ${JSON.stringify(p.schedulerName)}`);
    names.add(p.schedulerName);
  });
  const initial = doc.podInitialBackoffSeconds ?? 1;
  const max = doc.podMaxBackoffSeconds ?? 10;
  if (typeof initial !== 'number' || initial <= 0) throw new ConfigError('podInitialBackoffSeconds: Invalid value: must be greater than 0');
  if (typeof max !== 'number' || max < initial) {
    throw new ConfigError('podMaxBackoffSeconds: Invalid value: must be greater than or equal to PodInitialBackoffSeconds');
  }
  const out: SchedulerConfiguration = { podInitialBackoffSeconds: initial, podMaxBackoffSeconds: max, profiles };
  const pct = percentage(doc.percentageOfNodesToScore, 'percentageOfNodesToScore');
  if (pct !== undefined) out.percentageOfNodesToScore = pct;
  return out;
}
