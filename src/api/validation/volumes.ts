// Pod volumes and volume mounts.

import { asArray, asObject, asString, isObject, objectsIn, type JsonObject } from '../json.js';
import { VolumeSourceKeys } from '../defaults/pod-spec.js';
import { child, index } from './field-path.js';
import { duplicate, forbidden, invalid, notFound, required, type FieldError } from './field-error.js';
import { validateDNS1123Label } from './common.js';

const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive';

function validateMode(mode: unknown, path: string): FieldError[] {
  return typeof mode === 'number' && (mode < 0 || mode > 0o777) ? [invalid(path, mode, fileModeErrorMsg)] : [];
}

function validateKeyToPaths(items: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objectsIn(items).forEach((item, i) => {
    const p = index(path, i);
    if (!asString(item.key)) errs.push(required(child(p, 'key'), ''));
    errs.push(...validateRelativePath(asString(item.path), child(p, 'path')));
    errs.push(...validateMode(item.mode, child(p, 'mode')));
  });
  return errs;
}

/** Relative paths inside a volume: no absolute paths, no '..' elements. */
export function validateRelativePath(p: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!p) return [required(path, '')];
  if (p.startsWith('/')) errs.push(invalid(path, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(invalid(path, p, "must not contain '..'"));
  return errs;
}

// Per-source required fields (the common ones).
function validateSource(kind: string, src: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const need = (f: string) => {
    if (!asString(src[f])) errs.push(required(child(path, f), ''));
  };
  switch (kind) {
    case 'hostPath':
      need('path');
      break;
    case 'secret':
      need('secretName');
      errs.push(...validateMode(src.defaultMode, child(path, 'defaultMode')), ...validateKeyToPaths(src.items, child(path, 'items')));
      break;
    case 'configMap':
      need('name');
      errs.push(...validateMode(src.defaultMode, child(path, 'defaultMode')), ...validateKeyToPaths(src.items, child(path, 'items')));
      break;
    case 'persistentVolumeClaim':
      need('claimName');
      break;
    case 'nfs':
      need('server');
      need('path');
      if (asString(src.path) && !asString(src.path).startsWith('/')) errs.push(invalid(child(path, 'path'), src.path, 'must be an absolute path'));
      break;
    case 'downwardAPI':
    case 'projected':
      errs.push(...validateMode(src.defaultMode, child(path, 'defaultMode')));
      break;
    case 'csi':
      need('driver');
      break;
    case 'image':
      need('reference');
      break;
  }
  return errs;
}

/** Validates spec.volumes; returns the names usable by volumeMounts. */
export function validateVolumes(volumes: unknown, path: string): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  asArray(volumes).forEach((raw, i) => {
    const vol = asObject(raw);
    const p = index(path, i);
    const el: FieldError[] = [];
    let count = 0;
    for (const k of VolumeSourceKeys) {
      const src = vol[k];
      if (!isObject(src)) continue;
      if (count > 0) {
        el.push(forbidden(child(p, k), 'may not specify more than 1 volume type'));
        continue;
      }
      count++;
      el.push(...validateSource(k, src, child(p, k)));
    }
    if (count === 0) el.push(required(p, 'must specify a volume type'));
    const name = asString(vol.name);
    const namePath = child(p, 'name');
    if (!name) el.push(required(namePath, ''));
    else el.push(...validateDNS1123Label(name, namePath));
    if (names.has(name)) el.push(duplicate(namePath, name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { names, errs };
}

export function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  objectsIn(mounts).forEach((m, i) => {
    const p = index(path, i);
    const name = asString(m.name);
    const mountPath = asString(m.mountPath);
    if (!name) errs.push(required(child(p, 'name'), ''));
    if (!volumes.has(name)) errs.push(notFound(child(p, 'name'), name));
    if (!mountPath) errs.push(required(child(p, 'mountPath'), ''));
    if (mountPoints.has(mountPath)) errs.push(invalid(child(p, 'mountPath'), mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    const subPath = asString(m.subPath);
    if (subPath) {
      if (subPath.startsWith('/')) errs.push(invalid(child(p, 'subPath'), subPath, 'must be a relative path'));
      if (subPath.split('/').includes('..')) errs.push(invalid(child(p, 'subPath'), subPath, "must not contain '..'"));
    }
    if (m.mountPropagation !== undefined && !['None', 'HostToContainer', 'Bidirectional'].includes(asString(m.mountPropagation)))
      errs.push(invalid(child(p, 'mountPropagation'), m.mountPropagation, 'must be one of HostToContainer, Bidirectional, None'));
  });
  return errs;
}
