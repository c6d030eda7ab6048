// Container checks shared by pods and pod templates (upstream's
// validateContainerCommon and validateContainers).

import { asArray, asObject, asString, isObject, objectsIn, type JsonObject } from '../json.js';
import { child, index } from './field-path.js';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from './field-error.js';
import { isConfigMapKey, isRelaxedEnvVarName, isValidPortName, isValidPortNum, nameIsDNSSubdomain } from './names.js';
import { validateDNS1123Label, validateProtocol } from './common.js';
import { validateLifecycle, validateProbe } from './probes.js';
import { validateResourceRequirements } from './resources.js';
import { validateVolumeMounts } from './volumes.js';

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objectsIn(ports).forEach((port, i) => {
    const p = index(path, i);
    const name = asString(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const m of msgs) errs.push(invalid(child(p, 'name'), name, m));
      else if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
      else names.add(name);
    }
    if (!port.containerPort) errs.push(required(child(p, 'containerPort'), ''));
    else errs.push(...isValidPortNum(Number(port.containerPort)).map((m) => invalid(child(p, 'containerPort'), port.containerPort, m)));
    if (port.hostPort) errs.push(...isValidPortNum(Number(port.hostPort)).map((m) => invalid(child(p, 'hostPort'), port.hostPort, m)));
    errs.push(...validateProtocol(port.protocol, child(p, 'protocol')));
  });
  return errs;
}

function validateKeySelector(sel: JsonObject, path: string): FieldError[] {
  const errs = nameIsDNSSubdomain(asString(sel.name), false).map((m) => invalid(child(path, 'name'), asString(sel.name), m));
  const k = asString(sel.key);
  if (!k) errs.push(required(child(path, 'key'), ''));
  else errs.push(...isConfigMapKey(k).map((m) => invalid(child(path, 'key'), k, m)));
  return errs;
}

function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objectsIn(env).forEach((ev, i) => {
    const p = index(path, i);
    const name = asString(ev.name);
    if (!name) errs.push(required(child(p, 'name'), ''));
    else errs.push(...isRelaxedEnvVarName(name).map((m) => invalid(child(p, 'name'), name, m)));
    const from = ev.valueFrom;
    if (!isObject(from)) return;
    const vp = child(p, 'valueFrom');
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => isObject(from[k]));
    if (sources.length === 0)
      errs.push(invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (sources.length > 1) errs.push(invalid(vp, '', 'may not have more than one field specified at a time'));
    if (asString(ev.value) && sources.length) errs.push(invalid(vp, '', 'may not be specified when `value` is not empty'));
    if (sources.length === 1) {
      const src = sources[0]!;
      const sel = from[src] as JsonObject;
      if (src === 'fieldRef') {
        if (!asString(sel.fieldPath)) errs.push(required(child(vp, 'fieldRef', 'fieldPath'), ''));
      } else if (src === 'resourceFieldRef') {
        if (!asString(sel.resource)) errs.push(required(child(vp, 'resourceFieldRef', 'resource'), ''));
      } else errs.push(...validateKeySelector(sel, child(vp, src)));
    }
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objectsIn(envFrom).forEach((ef, i) => {
    const p = index(path, i);
    const refs = ['configMapRef', 'secretRef'].filter((k) => isObject(ef[k]));
    if (refs.length === 0) errs.push(invalid(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1) errs.push(invalid(p, '', 'may not have more than one field specified at a time'));
    for (const r of refs) {
      const name = asString(asObject(ef[r]).name);
      errs.push(...nameIsDNSSubdomain(name, false).map((m) => invalid(child(p, r, 'name'), name, m)));
    }
  });
  return errs;
}

const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const terminationMessagePolicies = ['File', 'FallbackToLogsOnError'];

function validateEnum(v: unknown, path: string, allowed: string[]): FieldError[] {
  if (v === undefined || v === null || v === '') return [required(path, '')];
  return allowed.includes(asString(v)) ? [] : [notSupported(path, v, allowed)];
}

export interface ContainerOptions {
  /** Pods reject images with surrounding whitespace; templates do not. */
  isPod: boolean;
}

/** Checks every container kind shares (upstream's validateContainerCommon). */
function validateContainerCommon(c: JsonObject, volumes: Set<string>, path: string, opts: ContainerOptions): FieldError[] {
  const errs: FieldError[] = [];
  const name = asString(c.name);
  if (!name) errs.push(required(child(path, 'name'), ''));
  else errs.push(...validateDNS1123Label(name, child(path, 'name')));
  const image = asString(c.image);
  if (!image) errs.push(required(child(path, 'image'), ''));
  else if (opts.isPod && image !== image.trim()) errs.push(invalid(child(path, 'image'), image, 'must not have leading or trailing whitespace'));
  errs.push(...validateEnum(c.terminationMessagePolicy, child(path, 'terminationMessagePolicy'), terminationMessagePolicies));
  errs.push(...validatePorts(c.ports, child(path, 'ports')));
  errs.push(...validateEnv(c.env, child(path, 'env')));
  errs.push(...validateEnvFrom(c.envFrom, child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, child(path, 'volumeMounts')));
  errs.push(...validateEnum(c.imagePullPolicy, child(path, 'imagePullPolicy'), pullPolicies));
  errs.push(...validateResourceRequirements(c.resources, child(path, 'resources')));
  return errs;
}

/** spec.containers: at least one, names unique, probes and hooks valid. */
export function validateContainers(containers: unknown, volumes: Set<string>, path: string, opts: ContainerOptions): FieldError[] {
  const list = asArray(containers);
  if (list.length === 0) return [required(path, '')];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((raw, i) => {
    const c = asObject(raw);
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, volumes, p, opts));
    const name = asString(c.name);
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else names.add(name);
    errs.push(...validateLifecycle(c.lifecycle, child(p, 'lifecycle')));
    errs.push(...validateProbe(c.livenessProbe, 'livenessProbe', child(p, 'livenessProbe')));
    errs.push(...validateProbe(c.readinessProbe, 'readinessProbe', child(p, 'readinessProbe')));
    errs.push(...validateProbe(c.startupProbe, 'startupProbe', child(p, 'startupProbe')));
    if (c.restartPolicy != null) errs.push(forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  return errs;
}

/** spec.initContainers: names unique across all containers; only sidecars may have probes. */
export function validateInitContainers(
  inits: unknown,
  regular: unknown,
  volumes: Set<string>,
  path: string,
  opts: ContainerOptions,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(asArray(regular).map((c) => asString(asObject(c).name)));
  objectsIn(inits).forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, volumes, p, opts));
    const name = asString(c.name);
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    else names.add(name);
    const sidecar = c.restartPolicy === 'Always';
    if (c.restartPolicy != null && !sidecar) errs.push(notSupported(child(p, 'restartPolicy'), c.restartPolicy, ['Always']));
    if (sidecar) {
      errs.push(...validateLifecycle(c.lifecycle, child(p, 'lifecycle')));
      errs.push(...validateProbe(c.livenessProbe, 'livenessProbe', child(p, 'livenessProbe')));
      errs.push(...validateProbe(c.readinessProbe, 'readinessProbe', child(p, 'readinessProbe')));
      errs.push(...validateProbe(c.startupProbe, 'startupProbe', child(p, 'startupProbe')));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'])
        if (c[f] != null) errs.push(forbidden(child(p, f), 'may not be set for init containers without restartPolicy=Always'));
    }
  });
  return errs;
}
