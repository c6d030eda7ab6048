// imagePullSecrets → CRI AuthConfig: the credentials of kubernetes.io/dockerconfigjson
// (and the older kubernetes.io/dockercfg) Secrets whose registry matches the image's.
import type { AuthConfig } from '../../cri/types.js';

interface DockerEntry {
  username?: string;
  password?: string;
  auth?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export interface SecretLike {
  type?: string;
  data?: Record<string, string>;
}

/** The registry host of an image reference ("busybox" → docker.io). */
export function registryHost(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') return first === 'index.docker.io' ? 'docker.io' : first;
  return 'docker.io';
}

/** A config key ("https://index.docker.io/v1/", "registry:5000") → host[:port]. */
function keyHost(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0]!;
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

function decodeEntries(secret: SecretLike): Record<string, DockerEntry> {
  const d = secret.data ?? {};
  try {
    if (secret.type === 'kubernetes.io/dockerconfigjson' && d['.dockerconfigjson']) {
      return (JSON.parse(Buffer.from(d['.dockerconfigjson'], 'base64').toString('utf8')) as { auths?: Record<string, DockerEntry> }).auths ?? {};
    }
    if (secret.type === 'kubernetes.io/dockercfg' && d['.dockercfg']) {
      return JSON.parse(Buffer.from(d['.dockercfg'], 'base64').toString('utf8')) as Record<string, DockerEntry>;
    }
  } catch {
    // A malformed secret gives no credentials, as upstream.
  }
  return {};
}

/** Every credential in `secrets` for the image's registry, in secret order. */
export function authConfigsFor(image: string, secrets: SecretLike[]): AuthConfig[] {
  const host = registryHost(image);
  const out: AuthConfig[] = [];
  for (const s of secrets) {
    for (const [key, e] of Object.entries(decodeEntries(s))) {
      if (keyHost(key) !== host) continue;
      let { username, password } = e;
      if ((!username || !password) && e.auth) {
        const plain = Buffer.from(e.auth, 'base64').toString('utf8');
        const i = plain.indexOf(':');
        if (i > 0) {
          username = plain.slice(0, i);
          password = plain.slice(i + 1);
        }
      }
      const a: AuthConfig = { server_address: host };
      if (username) a.username = username;
      if (password) a.password = password;
      if (e.identitytoken) a.identity_token = e.identitytoken;
      if (e.registrytoken) a.registry_token = e.registrytoken;
      out.push(a);
    }
  }
  return out;
}
