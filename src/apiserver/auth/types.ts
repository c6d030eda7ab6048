// Who a request comes from, and the pieces that work it out.
import type { IncomingHttpHeaders } from 'node:http';
import type { PeerCertificate } from 'node:tls';

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface AuthRequest {
  headers: IncomingHttpHeaders;
  /** The client certificate, passed only when the TLS layer verified it against the cluster CA. */
  peerCertificate?: PeerCertificate;
}

/**
 * Returns the user, or null when this authenticator has nothing to say about
 * the request (no credential of its kind, or one it does not accept).
 */
export interface Authenticator {
  authenticate(req: AuthRequest): Promise<UserInfo | null>;
}

export const GROUP_AUTHENTICATED = 'system:authenticated';
export const GROUP_MASTERS = 'system:masters';
export const GROUP_SERVICE_ACCOUNTS = 'system:serviceaccounts';
export const GROUP_BOOTSTRAPPERS = 'system:bootstrappers';

/** Adds system:authenticated unless already there, as upstream does for every authenticated user. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(GROUP_AUTHENTICATED)) return user;
  return { ...user, groups: [...user.groups, GROUP_AUTHENTICATED] };
}
