// The API objects the kubelet reads to build env and volumes, behind a narrow
// interface so those parts are unit-tested without an API server.
import type { KubeClient } from '../client/client.js';
import { isNotFound } from '../client/errors.js';
import type { KubeObject } from '../api/meta.js';

export interface ConfigMapObject extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

export interface SecretObject extends KubeObject {
  /** base64 values */
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  type?: string;
}

export interface ServicePortObject { name?: string; port: number; protocol?: string }

export interface ServiceObject extends KubeObject {
  spec?: { clusterIP?: string; ports?: ServicePortObject[]; type?: string; [k: string]: unknown };
}

export interface PersistentVolumeClaimObject extends KubeObject {
  spec?: { volumeName?: string; storageClassName?: string; resources?: { requests?: Record<string, string> }; accessModes?: string[]; [k: string]: unknown };
  status?: { phase?: string; [k: string]: unknown };
}

export interface PersistentVolumeObject extends KubeObject {
  spec?: {
    hostPath?: { path: string; type?: string };
    local?: { path: string };
    claimRef?: { namespace?: string; name?: string; uid?: string };
    [k: string]: unknown;
  };
  status?: { phase?: string; [k: string]: unknown };
}

export interface ServiceAccountToken { token: string; expirationTimestamp: string }

export interface TokenRequestSpec {
  audiences: string[];
  expirationSeconds: number;
  boundObjectRef: { apiVersion: string; kind: 'Pod'; name: string; uid: string };
}

/** Reads return null when the object does not exist. */
export interface ObjectSource {
  getConfigMap(ns: string, name: string): Promise<ConfigMapObject | null>;
  getSecret(ns: string, name: string): Promise<SecretObject | null>;
  listServices(ns: string): Promise<ServiceObject[]>;
  getPersistentVolumeClaim(ns: string, name: string): Promise<PersistentVolumeClaimObject | null>;
  getPersistentVolume(name: string): Promise<PersistentVolumeObject | null>;
  createServiceAccountToken(ns: string, serviceAccount: string, req: TokenRequestSpec): Promise<ServiceAccountToken>;
}

async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/**
 * The ObjectSource over the API: direct reads (the kubelet re-reads on every
 * sync anyway). Pass a service lister (e.g. an informer's store) so building
 * service-link env does not list services for every container start.
 */
export function clientObjectSource(client: KubeClient, opts: { services?: (ns: string) => ServiceObject[] } = {}): ObjectSource {
  return {
    getConfigMap: (ns, name) => orNull(client.configmaps.get(ns, name) as Promise<ConfigMapObject>),
    getSecret: (ns, name) => orNull(client.secrets.get(ns, name) as Promise<SecretObject>),
    listServices: async (ns) => (opts.services ? opts.services(ns) : ((await client.services.listAll(ns)).items as ServiceObject[])),
    getPersistentVolumeClaim: (ns, name) => orNull(client.persistentvolumeclaims.get(ns, name) as Promise<PersistentVolumeClaimObject>),
    getPersistentVolume: (name) => orNull(client.persistentvolumes.get(undefined, name) as Promise<PersistentVolumeObject>),
    createServiceAccountToken: (ns, sa, req) => client.createToken(ns, sa, req),
  };
}

/** Secret values as text (base64-decoded data, stringData as is). */
export function secretStrings(s: SecretObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(s.stringData ?? {})) out[k] = v;
  return out;
}

/** Secret values as bytes. */
export function secretBytes(s: SecretObject): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(v, 'base64');
  for (const [k, v] of Object.entries(s.stringData ?? {})) out[k] = Buffer.from(v, 'utf8');
  return out;
}

/** ConfigMap values as bytes (data as UTF-8, binaryData base64-decoded). */
export function configMapBytes(cm: ConfigMapObject): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(cm.data ?? {})) out[k] = Buffer.from(v, 'utf8');
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) out[k] = Buffer.from(v, 'base64');
  return out;
}
