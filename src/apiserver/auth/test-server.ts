// Test support: an HTTPS server on a free loopback port that authenticates
// every request and answers with the user as JSON (or 401), plus a client.
// It also answers SelfSubjectReviews, for `kubectl auth whoami`.
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tlsServerOptions, type Pki } from '../pki/pki.js';
import { selfSubjectReview } from './reviews.js';
import type { Authenticator } from './types.js';
import { authRequestFrom } from './x509-authenticator.js';

export interface TestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startWhoamiServer(pki: Pki, authn: Authenticator): Promise<TestServer> {
  const server: Server = createServer(tlsServerOptions(pki), (req, res) => {
    authn.authenticate(authRequestFrom(req)).then(
      (user) => {
        // `kubectl auth whoami` POSTs a SelfSubjectReview to the version it wants.
        const review = /^\/apis\/authentication\.k8s\.io\/(v1\w*)\/selfsubjectreviews$/.exec(req.url ?? '');
        if (user && req.method === 'POST' && review?.[1]) {
          req.resume();
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end(JSON.stringify(selfSubjectReview(user, `authentication.k8s.io/${review[1]}`)));
          return;
        }
        res.writeHead(user ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(user ?? { kind: 'Status', code: 401, reason: 'Unauthorized' }));
      },
      (err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      },
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ClientOptions {
  ca: string;
  cert?: string;
  key?: string;
  headers?: Record<string, string>;
  servername?: string;
}

export async function get(url: string, o: ClientOptions): Promise<{ status: number; body: unknown }> {
  const req = request(url, { ca: o.ca, cert: o.cert, key: o.key, headers: o.headers, servername: o.servername, agent: false });
  req.end();
  const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return { status: res.statusCode ?? 0, body: JSON.parse(text) as unknown };
}
