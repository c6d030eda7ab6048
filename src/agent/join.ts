// Joining a cluster with a node token, as k3s agents do: fetch the CA from the
// server's unauthenticated /cacerts, check it against the hash the token
// carries, then talk to the API server as a node agent with the token.
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { caCertHash, formatBootstrapToken, parseNodeToken } from '../apiserver/auth/bootstrap-token.js';
import type { ClientConfig } from '../client/kubeconfig.js';

export class JoinError extends Error {
  override name = 'JoinError';
}

function fetchCaPem(server: string, timeoutMs: number): Promise<string> {
  const url = new URL('/cacerts', server);
  return new Promise((resolve, reject) => {
    // Unverified on purpose: what comes back is checked against the token's hash.
    const req = https.get(url, { rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new JoinError(`GET ${url}: HTTP ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new JoinError(`GET ${url}: timed out`)));
    req.on('error', (err) => reject(err instanceof JoinError ? err : new JoinError(`GET ${url}: ${err.message}`)));
  });
}

/** Client settings for an agent joining `server` with `tokenText` (`K10<hash>::<id>.<secret>` or a bare bootstrap token). */
export async function joinConfig(server: string, tokenText: string, opts: { timeoutMs?: number; caPem?: string } = {}): Promise<ClientConfig> {
  const parsed = parseNodeToken(tokenText);
  if (!parsed) throw new JoinError('the node token is malformed: want K10<ca sha256>::<id>.<secret> or <id>.<secret>');
  const caPem = opts.caPem ?? (await fetchCaPem(server, opts.timeoutMs ?? 10_000));
  let der: Buffer;
  try {
    der = new X509Certificate(caPem).raw;
  } catch {
    throw new JoinError(`the server's /cacerts is not a PEM certificate`);
  }
  if (parsed.caHash && caCertHash(der) !== parsed.caHash) {
    throw new JoinError(`the server's CA (${caCertHash(der)}) does not match the node token's (${parsed.caHash}): wrong server or token`);
  }
  return { server: server.replace(/\/+$/, ''), ca: Buffer.from(caPem), token: formatBootstrapToken(parsed.token) };
}
