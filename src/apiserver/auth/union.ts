// Tries each authenticator in order; the first that recognises the request wins.
import type { AuthRequest, Authenticator, UserInfo } from './types.js';

export class UnionAuthenticator implements Authenticator {
  constructor(private readonly authenticators: Authenticator[]) {}

  async authenticate(req: AuthRequest): Promise<UserInfo | null> {
    for (const a of this.authenticators) {
      const user = await a.authenticate(req);
      if (user) return user;
    }
    // Anonymous: the API server answers 401.
    return null;
  }
}
