// Extracts a bearer token from the Authorization header, or from the
// WebSocket subprotocol that browsers and some clients use instead.
import type { IncomingHttpHeaders } from 'node:http';

const WS_PROTOCOL_PREFIX = 'base64url.bearer.authorization.k8s.io.';

export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^\s*bearer\s+(\S+)\s*$/i.exec(auth);
    if (m?.[1]) return m[1];
  }
  const protocols = headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    for (const p of protocols.split(',').map((s) => s.trim())) {
      if (!p.startsWith(WS_PROTOCOL_PREFIX)) continue;
      const token = Buffer.from(p.slice(WS_PROTOCOL_PREFIX.length), 'base64url').toString('utf8');
      if (token) return token;
    }
  }
  return null;
}
