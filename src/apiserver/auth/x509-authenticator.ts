// Client-certificate authentication: CN is the user name, each O a group.
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { withAuthenticatedGroup, type AuthRequest, type Authenticator, type UserInfo } from './types.js';

const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

/**
 * The authentication input for an HTTP(S) request. The peer certificate is
 * included only when TLS verified it against the configured CA, because the
 * server runs with `rejectUnauthorized: false` so tokens can still be used.
 */
export function authRequestFrom(req: IncomingMessage): AuthRequest {
  const socket = req.socket as Partial<TLSSocket>;
  if (socket.authorized === true && typeof socket.getPeerCertificate === 'function') {
    const peer = socket.getPeerCertificate();
    if (peer.raw) return { headers: req.headers, peerCertificate: peer };
  }
  return { headers: req.headers };
}

function values(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Subject fields with several values come back as arrays at run time, whatever the typings say. */
function subjectField(peer: PeerCertificate, field: 'CN' | 'O'): string[] {
  const subject = peer.subject as unknown as Record<string, string | string[] | undefined> | undefined;
  return values(subject?.[field]);
}

export class X509Authenticator implements Authenticator {
  private readonly ca: X509Certificate;

  constructor(
    caPem: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.ca = new X509Certificate(caPem);
  }

  async authenticate(req: AuthRequest): Promise<UserInfo | null> {
    const peer = req.peerCertificate;
    if (!peer?.raw) return null;
    // Re-checked here so a caller that forwards an unverified certificate cannot impersonate anyone.
    const cert = new X509Certificate(peer.raw);
    if (!cert.checkIssued(this.ca) || !cert.verify(this.ca.publicKey)) return null;
    const now = this.now().getTime();
    if (now < new Date(cert.validFrom).getTime() || now > new Date(cert.validTo).getTime()) return null;
    const eku = cert.keyUsage;
    if (Array.isArray(eku) && eku.length > 0 && !eku.includes(CLIENT_AUTH_OID)) return null;
    const [username] = subjectField(peer, 'CN');
    if (!username) return null;
    return withAuthenticatedGroup({ username, groups: subjectField(peer, 'O') });
  }
}
