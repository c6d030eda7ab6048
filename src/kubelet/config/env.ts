// A container's environment in upstream's order of precedence: service links
// first, then envFrom (with prefixes), then env (with `$(VAR)` expansion over
// what came before). Later definitions replace earlier ones in place.
import type { Container, Pod } from '../../api/core-v1.js';
import { CreateContainerConfigError } from '../errors.js';
import { configMapBytes, secretStrings, type ObjectSource, type ServiceObject } from '../object-source.js';
import { expandVars, mapLookup } from './expand.js';
import { FieldRefError, podFieldValue, resourceFieldValue, type PodRuntimeFacts } from './field-ref.js';
import { serviceEnvVars, servicesForPod } from './service-env.js';

// Upstream's relaxed env var name rule: printable ASCII except '='.
const ENV_NAME = /^[\x20-\x3c\x3e-\x7e]+$/;

export interface EnvContext extends PodRuntimeFacts {
  objects: ObjectSource;
  nodeAllocatable: Record<string, string>;
  /** Namespace of the master `kubernetes` service. */
  masterServiceNamespace?: string;
}

/** The service-link variables a pod's containers get. */
export async function podServiceEnv(pod: Pod, ctx: EnvContext): Promise<Map<string, string>> {
  const ns = pod.metadata.namespace ?? 'default';
  const masterNs = ctx.masterServiceNamespace ?? 'default';
  const enable = pod.spec.enableServiceLinks !== false;
  const nsServices: ServiceObject[] = enable ? await ctx.objects.listServices(ns) : [];
  const masterServices = ns === masterNs && enable ? nsServices : await ctx.objects.listServices(masterNs);
  return new Map(serviceEnvVars(servicesForPod(ns, enable, nsServices, masterServices)));
}

const fail = (msg: string) => new CreateContainerConfigError(msg);

/** The final env of a container, in order; throws CreateContainerConfigError when a required source is missing. */
export async function containerEnv(pod: Pod, container: Container, ctx: EnvContext, serviceEnv?: Map<string, string>): Promise<[string, string][]> {
  const ns = pod.metadata.namespace ?? 'default';
  const services = serviceEnv ?? (await podServiceEnv(pod, ctx));
  const declared = new Map<string, string>();

  for (const src of container.envFrom ?? []) {
    const prefix = src.prefix ?? '';
    let values: Record<string, string> | null = null;
    if (src.configMapRef) {
      const name = src.configMapRef.name ?? '';
      const cm = await ctx.objects.getConfigMap(ns, name);
      if (!cm) {
        if (src.configMapRef.optional) continue;
        throw fail(`configmap "${name}" not found`);
      }
      values = Object.fromEntries(Object.entries(configMapBytes(cm)).map(([k, v]) => [k, v.toString('utf8')]));
    } else if (src.secretRef) {
      const name = src.secretRef.name ?? '';
      const s = await ctx.objects.getSecret(ns, name);
      if (!s) {
        if (src.secretRef.optional) continue;
        throw fail(`secret "${name}" not found`);
      }
      values = secretStrings(s);
    }
    for (const [k, v] of Object.entries(values ?? {})) {
      const key = prefix + k;
      // Upstream skips invalid keys (and records an event).
      if (!ENV_NAME.test(key)) continue;
      declared.set(key, v);
    }
  }

  for (const e of container.env ?? []) {
    let v: string | undefined;
    if (e.value !== undefined && e.value !== '') {
      v = expandVars(e.value, mapLookup(declared, services));
    } else if (e.valueFrom) {
      v = await envValueFrom(pod, container, e.name, e.valueFrom, ns, ctx);
      if (v === undefined) continue; // optional and missing
    } else {
      v = '';
    }
    declared.set(e.name, v);
  }

  const out = new Map(services);
  for (const [k, v] of declared) out.set(k, v);
  return [...out];
}

async function envValueFrom(pod: Pod, container: Container, name: string, from: NonNullable<NonNullable<Container['env']>[number]['valueFrom']>, ns: string, ctx: EnvContext): Promise<string | undefined> {
  try {
    if (from.fieldRef) return podFieldValue(pod, from.fieldRef.fieldPath, ctx);
    if (from.resourceFieldRef) return resourceFieldValue(pod, from.resourceFieldRef, container, ctx.nodeAllocatable);
  } catch (err) {
    if (err instanceof FieldRefError) throw fail(`env ${name}: ${err.message}`);
    throw err;
  }
  if (from.configMapKeyRef) {
    const ref = from.configMapKeyRef;
    const cm = await ctx.objects.getConfigMap(ns, ref.name ?? '');
    if (!cm) {
      if (ref.optional) return undefined;
      throw fail(`configmap "${ref.name ?? ''}" not found`);
    }
    const data = configMapBytes(cm);
    if (!(ref.key in data)) {
      if (ref.optional) return undefined;
      throw fail(`couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name ?? ''}`);
    }
    return data[ref.key]!.toString('utf8');
  }
  if (from.secretKeyRef) {
    const ref = from.secretKeyRef;
    const s = await ctx.objects.getSecret(ns, ref.name ?? '');
    if (!s) {
      if (ref.optional) return undefined;
      throw fail(`secret "${ref.name ?? ''}" not found`);
    }
    const data = secretStrings(s);
    if (!(ref.key in data)) {
      if (ref.optional) return undefined;
      throw fail(`couldn't find key ${ref.key} in Secret ${ns}/${ref.name ?? ''}`);
    }
    return data[ref.key];
  }
  return '';
}
