// Per-registry settings for containerd's registry config_path (certs.d
// layout: <config_path>/<host[:port]>/hosts.toml). containerd reads them at
// each pull, so registries can be added while it runs.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RegistryHost {
  /** host[:port] as it appears in image names, e.g. "127.0.0.1:5000". */
  host: string;
  /** Plain HTTP (no TLS). */
  insecureHttp?: boolean;
  /** TLS without certificate verification. */
  skipVerify?: boolean;
}

/** hosts.toml for one registry (containerd's certs.d format). */
export function registryHostsToml(r: RegistryHost): string {
  const scheme = r.insecureHttp ? 'http' : 'https';
  const url = `${scheme}://${r.host}`;
  return `server = ${JSON.stringify(url)}

[host.${JSON.stringify(url)}]
  capabilities = ["pull", "resolve"]${r.skipVerify ? '\n  skip_verify = true' : ''}
`;
}

/** Directory (under registryConfigDir) that holds a registry's hosts.toml. */
export function registryHostsDir(registryConfigDir: string, host: string): string {
  return join(registryConfigDir, host);
}

/** Writes <registryConfigDir>/<host>/hosts.toml atomically. */
export function writeRegistryHosts(registryConfigDir: string, r: RegistryHost): string {
  const dir = registryHostsDir(registryConfigDir, r.host);
  mkdirSync(dir, { recursive: true });
  const target = join(dir, 'hosts.toml');
  const tmp = join(dir, `.hosts.toml.${process.pid}.tmp`);
  writeFileSync(tmp, registryHostsToml(r));
  renameSync(tmp, target);
  return target;
}
