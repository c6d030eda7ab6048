// An in-memory ObjectSource for unit tests of env and volume building.
import type { ConfigMapObject, ObjectSource, PersistentVolumeClaimObject, PersistentVolumeObject, SecretObject, ServiceAccountToken, ServiceObject, TokenRequestSpec } from './object-source.js';

export class FakeObjectSource implements ObjectSource {
  configMaps = new Map<string, ConfigMapObject>();
  secrets = new Map<string, SecretObject>();
  services = new Map<string, ServiceObject[]>();
  pvcs = new Map<string, PersistentVolumeClaimObject>();
  pvs = new Map<string, PersistentVolumeObject>();
  tokenRequests: { ns: string; serviceAccount: string; req: TokenRequestSpec }[] = [];
  /** Returns the token for a request; by default `token-<n>` valid for the requested time from `now()`. */
  now = () => Date.now();

  setConfigMap(ns: string, name: string, data: Record<string, string>): void {
    this.configMaps.set(`${ns}/${name}`, { metadata: { namespace: ns, name }, data });
  }

  setSecret(ns: string, name: string, data: Record<string, string>): void {
    const b64 = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
    this.secrets.set(`${ns}/${name}`, { metadata: { namespace: ns, name }, data: b64 });
  }

  async getConfigMap(ns: string, name: string) { return this.configMaps.get(`${ns}/${name}`) ?? null; }
  async getSecret(ns: string, name: string) { return this.secrets.get(`${ns}/${name}`) ?? null; }
  async listServices(ns: string) { return this.services.get(ns) ?? []; }
  async getPersistentVolumeClaim(ns: string, name: string) { return this.pvcs.get(`${ns}/${name}`) ?? null; }
  async getPersistentVolume(name: string) { return this.pvs.get(name) ?? null; }
  async createServiceAccountToken(ns: string, serviceAccount: string, req: TokenRequestSpec): Promise<ServiceAccountToken> {
    this.tokenRequests.push({ ns, serviceAccount, req });
    return { token: `token-${this.tokenRequests.length}`, expirationTimestamp: new Date(this.now() + req.expirationSeconds * 1000).toISOString() };
  }
}
