// Payloads (path → bytes + mode) for configMap, secret, downwardAPI and
// projected volumes, built from the current API objects.
import type { DownwardAPIVolumeFile, KeyToPath, Pod, ServiceAccountTokenProjection } from '../../api/core-v1.js';
import { FieldRefError, podFieldValue, resourceFieldValue } from '../config/field-ref.js';
import { VolumeSetupError } from '../errors.js';
import { configMapBytes, secretBytes, type ObjectSource } from '../object-source.js';
import type { Payload } from './atomic-writer.js';

export const DEFAULT_MODE = 0o644;

/** Keys → files: all keys by name, or only `items` (a missing item key fails unless optional). */
export function keysPayload(volume: string, kind: string, objName: string, data: Record<string, Buffer> | null, items: KeyToPath[] | undefined, mode: number, optional: boolean, into: Payload = new Map()): Payload {
  if (!data) {
    if (optional) return into;
    throw new VolumeSetupError(volume, `${kind} "${objName}" not found`);
  }
  if (!items?.length) {
    for (const [k, v] of Object.entries(data)) into.set(k, { data: v, mode });
    return into;
  }
  for (const it of items) {
    const v = data[it.key];
    if (v === undefined) {
      if (optional) continue;
      throw new VolumeSetupError(volume, `configmap references non-existent config key: ${it.key}`.replace('configmap', kind));
    }
    into.set(it.path, { data: v, mode: it.mode ?? mode });
  }
  return into;
}

export async function configMapPayload(volume: string, ns: string, src: { name?: string; items?: KeyToPath[]; optional?: boolean }, mode: number, objects: ObjectSource, into?: Payload): Promise<Payload> {
  const cm = await objects.getConfigMap(ns, src.name ?? '');
  return keysPayload(volume, 'configmap', src.name ?? '', cm ? configMapBytes(cm) : null, src.items, mode, src.optional === true, into);
}

export async function secretPayload(volume: string, ns: string, name: string, src: { items?: KeyToPath[]; optional?: boolean }, mode: number, objects: ObjectSource, into?: Payload): Promise<Payload> {
  const s = await objects.getSecret(ns, name);
  return keysPayload(volume, 'secret', name, s ? secretBytes(s) : null, src.items, mode, src.optional === true, into);
}

export function downwardApiPayload(volume: string, pod: Pod, items: DownwardAPIVolumeFile[], mode: number, nodeAllocatable: Record<string, string>, into: Payload = new Map()): Payload {
  for (const it of items) {
    let text: string;
    try {
      if (it.fieldRef) text = podFieldValue(pod, it.fieldRef.fieldPath, {}, true);
      else if (it.resourceFieldRef) text = resourceFieldValue(pod, it.resourceFieldRef, undefined, nodeAllocatable);
      else continue;
    } catch (err) {
      if (err instanceof FieldRefError) throw new VolumeSetupError(volume, err.message);
      throw err;
    }
    into.set(it.path, { data: Buffer.from(text), mode: it.mode ?? mode });
  }
  return into;
}

interface CachedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
  key: string;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Service-account tokens for projected volumes, requested with the pod as the
 * bound object and refreshed when 80% of their life has passed or they are
 * older than 24 h, as upstream's token manager does.
 */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();

  constructor(
    private readonly objects: ObjectSource,
    private readonly now: () => number,
  ) {}

  async get(pod: Pod, src: ServiceAccountTokenProjection): Promise<string> {
    const uid = pod.metadata.uid ?? '';
    const sa = pod.spec.serviceAccountName || 'default';
    const expirationSeconds = src.expirationSeconds ?? 3600;
    const audiences = src.audience ? [src.audience] : [];
    const key = `${uid}|${sa}|${audiences.join(',')}|${expirationSeconds}`;
    const cached = this.tokens.get(key);
    const t = this.now();
    if (cached && !this.needsRefresh(cached, t)) return cached.token;
    const res = await this.objects.createServiceAccountToken(pod.metadata.namespace ?? 'default', sa, {
      audiences,
      expirationSeconds,
      boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid },
    });
    const expiresAt = Date.parse(res.expirationTimestamp);
    this.tokens.set(key, { token: res.token, issuedAt: t, expiresAt: Number.isFinite(expiresAt) ? expiresAt : t + expirationSeconds * 1000, key });
    return res.token;
  }

  private needsRefresh(c: CachedToken, now: number): boolean {
    if (now >= c.expiresAt) return true;
    if (now - c.issuedAt > DAY_MS) return true;
    return now >= c.issuedAt + 0.8 * (c.expiresAt - c.issuedAt);
  }

  forgetPod(uid: string): void {
    for (const k of [...this.tokens.keys()]) if (k.startsWith(`${uid}|`)) this.tokens.delete(k);
  }
}
