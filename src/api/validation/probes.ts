// Probe and lifecycle-handler checks: exactly one handler, sane numbers.

import { asArray, asObject, asString, isObject, type JsonObject } from '../json.js';
import { child } from './field-path.js';
import { forbidden, invalid, notSupported, required, type FieldError } from './field-error.js';
import { isValidPortNum } from './names.js';
import { validateNonnegative, validatePortNumOrName } from './common.js';

function validateHttpGet(h: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!asString(h.path)) errs.push(required(child(path, 'path'), ''));
  errs.push(...validatePortNumOrName(h.port, child(path, 'port')));
  const scheme = asString(h.scheme);
  if (scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(notSupported(child(path, 'scheme'), scheme, ['HTTP', 'HTTPS']));
  for (const hdr of asArray(h.httpHeaders)) {
    const name = asString(asObject(hdr).name);
    if (!/^[-A-Za-z0-9]+$/.test(name))
      errs.push(
        invalid(
          child(path, 'httpHeaders'),
          name,
          "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
        ),
      );
  }
  return errs;
}

type HandlerKind = 'exec' | 'httpGet' | 'tcpSocket' | 'grpc' | 'sleep';

/** One handler type, validated; `kinds` lists those allowed here, in upstream's order. */
export function validateHandler(h: JsonObject, path: string, kinds: readonly HandlerKind[]): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of kinds) {
    const v = h[kind];
    if (!isObject(v)) continue;
    const p = child(path, kind);
    if (count > 0) {
      errs.push(forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    if (kind === 'exec' && asArray(v.command).length === 0) errs.push(required(child(p, 'command'), ''));
    if (kind === 'httpGet') errs.push(...validateHttpGet(v, p));
    if (kind === 'tcpSocket') errs.push(...validatePortNumOrName(v.port, child(p, 'port')));
    if (kind === 'grpc' && typeof v.port === 'number')
      errs.push(...isValidPortNum(v.port).map((m) => invalid(child(p, 'port'), v.port, m)));
    if (kind === 'sleep' && typeof v.seconds === 'number' && v.seconds < 0)
      errs.push(invalid(child(p, 'seconds'), v.seconds, 'must be non-negative'));
  }
  if (count === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

export function validateProbe(probe: unknown, kind: ProbeKind, path: string): FieldError[] {
  if (!isObject(probe)) return [];
  const errs = validateHandler(probe, path, ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'])
    errs.push(...validateNonnegative(probe[f], child(path, f)));
  const tgps = probe.terminationGracePeriodSeconds;
  if (kind === 'readinessProbe' && tgps != null) errs.push(invalid(child(path, 'terminationGracePeriodSeconds'), tgps, 'must not be set for readinessProbes'));
  else if (typeof tgps === 'number' && tgps <= 0) errs.push(invalid(child(path, 'terminationGracePeriodSeconds'), tgps, 'must be greater than 0'));
  if (kind !== 'readinessProbe' && probe.successThreshold !== undefined && probe.successThreshold !== 1)
    errs.push(invalid(child(path, 'successThreshold'), probe.successThreshold, 'must be 1'));
  return errs;
}

export function validateLifecycle(lc: unknown, path: string): FieldError[] {
  if (!isObject(lc)) return [];
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop'])
    if (isObject(lc[hook])) errs.push(...validateHandler(lc[hook] as JsonObject, child(path, hook), ['exec', 'httpGet', 'tcpSocket', 'sleep']));
  return errs;
}
