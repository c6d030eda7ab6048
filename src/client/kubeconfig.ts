// Kubeconfig → the connection settings our client needs. Only the fields a
// component uses are read: server, CA, client certificate/key, bearer token,
// insecure-skip-tls-verify, chosen by the current (or a named) context.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface ClientConfig {
  /** Base URL, e.g. https://127.0.0.1:6443 (no trailing slash). */
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecureSkipTLSVerify?: boolean;
  /** Default namespace of the context, if it names one. */
  namespace?: string;
}

export class KubeconfigError extends Error {
  override name = 'KubeconfigError';
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function named(list: unknown, name: string, what: string): Obj {
  const found = Array.isArray(list) ? list.find((e) => isObj(e) && e.name === name) : undefined;
  if (!isObj(found) || !isObj(found[what])) throw new KubeconfigError(`kubeconfig: ${what} ${JSON.stringify(name)} not found`);
  return found[what];
}

const str = (o: Obj, k: string): string | undefined => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);

/** Inline `<field>-data` (base64) wins over the `<field>` file path, resolved against `baseDir`. */
function material(o: Obj, field: string, baseDir: string): Buffer | undefined {
  const data = str(o, `${field}-data`);
  if (data) return Buffer.from(data, 'base64');
  const file = str(o, field);
  return file ? fs.readFileSync(path.resolve(baseDir, file)) : undefined;
}

/**
 * Connection settings from a parsed kubeconfig object. `baseDir` resolves
 * relative file paths (kubectl resolves them against the kubeconfig's dir).
 */
export function clientConfigFromKubeconfig(doc: unknown, opts: { context?: string; baseDir?: string } = {}): ClientConfig {
  if (!isObj(doc)) throw new KubeconfigError('kubeconfig: not a mapping');
  const baseDir = opts.baseDir ?? process.cwd();
  const contextName = opts.context ?? str(doc, 'current-context');
  if (!contextName) throw new KubeconfigError('kubeconfig: no current-context');
  const context = named(doc.contexts, contextName, 'context');
  const clusterName = str(context, 'cluster');
  if (!clusterName) throw new KubeconfigError(`kubeconfig: context ${JSON.stringify(contextName)} has no cluster`);
  const cluster = named(doc.clusters, clusterName, 'cluster');
  const server = str(cluster, 'server');
  if (!server) throw new KubeconfigError(`kubeconfig: cluster ${JSON.stringify(clusterName)} has no server`);
  const userName = str(context, 'user');
  const user = userName ? named(doc.users, userName, 'user') : {};
  let token = str(user, 'token');
  const tokenFile = str(user, 'tokenFile');
  if (!token && tokenFile) token = fs.readFileSync(path.resolve(baseDir, tokenFile), 'utf8').trim();
  const cfg: ClientConfig = { server: server.replace(/\/+$/, '') };
  const ca = material(cluster, 'certificate-authority', baseDir);
  const cert = material(user, 'client-certificate', baseDir);
  const key = material(user, 'client-key', baseDir);
  if (ca) cfg.ca = ca;
  if (cert) cfg.cert = cert;
  if (key) cfg.key = key;
  if (token) cfg.token = token;
  if (cluster['insecure-skip-tls-verify'] === true) cfg.insecureSkipTLSVerify = true;
  const ns = str(context, 'namespace');
  if (ns) cfg.namespace = ns;
  return cfg;
}

/** Reads and resolves a kubeconfig file. */
export function loadKubeconfig(file: string, opts: { context?: string } = {}): ClientConfig {
  const doc: unknown = parse(fs.readFileSync(file, 'utf8'));
  return clientConfigFromKubeconfig(doc, { ...opts, baseDir: path.dirname(path.resolve(file)) });
}
