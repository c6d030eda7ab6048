// Component test: a real in-process API server, the ingress controller on free
// loopback ports, and plain HTTP servers on 127.0.0.1 standing in for pods
// (EndpointSlices point at them by hand; no controller manager runs).
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { createCertificate, generateKeyPair } from '../apiserver/pki/index.js';
import { toPem } from '../apiserver/pki/x509.js';
import { RESOURCES } from '../client/resources.js';
import type { EndpointSlice, Service } from '../client/types.js';
import { startTestControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import { waitFor } from '../testing/wait-for.js';
import { silentLogger } from '../util/log.js';
import { ensureIngressClass, startIngressController, type RunningIngressController } from './controller.js';
import type { Ingress, IngressClass } from './types.js';

interface Backend {
  name: string;
  server: http.Server;
  port: number;
}

/** An endpoint that answers with its name and the headers it received. */
async function startBackend(name: string, websocket = false): Promise<Backend> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name, method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() }));
    });
  });
  if (websocket) {
    const wss = new WebSocketServer({ server });
    wss.on('connection', (ws, req) => ws.on('message', (m) => ws.send(`${name}:${req.headers['x-forwarded-host']}:${m.toString()}`)));
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { name, server, port: (server.address() as net.AddressInfo).port };
}

interface Reply {
  status: number;
  body: string;
  json?: { name: string; method: string; path: string; headers: Record<string, string>; body: string };
  peerCN?: string;
}

function request(opts: https.RequestOptions, secure: boolean, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request({ ...opts, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const peer = secure ? (res.socket as import('node:tls').TLSSocket).getPeerCertificate() : undefined;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        let json;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body, json, peerCN: typeof peer?.subject?.CN === 'string' ? peer.subject.CN : undefined });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A test CA and leaf certificates for host names. */
function testPki() {
  const ca = generateKeyPair();
  const now = Date.now();
  const caDer = createCertificate({ subject: { commonName: 'ingress-test-ca' }, publicKey: ca.publicKey, notBefore: new Date(now - 60_000), notAfter: new Date(now + 86_400_000), isCA: true }, { selfKey: ca.privateKey });
  const leaf = (host: string) => {
    const k = generateKeyPair();
    const der = createCertificate(
      { subject: { commonName: host }, publicKey: k.publicKey, notBefore: new Date(now - 60_000), notAfter: new Date(now + 86_400_000), extKeyUsage: ['serverAuth'], dnsNames: [host] },
      { certDer: caDer, privateKey: ca.privateKey, publicKey: ca.publicKey },
    );
    return { cert: toPem('CERTIFICATE', der), key: k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  };
  return { caPem: toPem('CERTIFICATE', caDer), leaf };
}

describe('ingress controller', () => {
  let cp: TestControlPlane;
  let ctl: RunningIngressController;
  const backends: Backend[] = [];
  const pki = testPki();
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const get = (host: string, path = '/') => request({ host: '127.0.0.1', port: ctl.ports.http, path, headers: { host } }, false);
  const getTls = (host: string, path = '/') => request({ host: '127.0.0.1', port: ctl.ports.https, path, servername: host, headers: { host }, ca: pki.caPem }, true);

  const service = (name: string): Service => ({ metadata: { namespace: 'default', name }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'web' }] } });
  const sliceFor = (svc: string, ports: number[]): EndpointSlice => {
    // One slice per distinct port (EndpointSlice ports are per slice); here every backend gets its own slice.
    return { metadata: { namespace: 'default', name: `${svc}-${ports.join('-')}`, labels: { 'kubernetes.io/service-name': svc } }, addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }], ports: [{ name: 'http', port: ports[0], protocol: 'TCP' }] };
  };

  before(async () => {
    cp = await startTestControlPlane({ datastore: 'memory' });
    for (const [n, ws] of [['alpha', true], ['beta-1', false], ['beta-2', false], ['gamma', false]] as const) backends.push(await startBackend(n, ws));
    const [alpha, beta1, beta2] = backends;
    await ensureIngressClass(cp.client);
    await ensureIngressClass(cp.client); // idempotent
    for (const n of ['alpha', 'beta', 'empty']) await cp.client.services.create('default', service(n));
    const slices = cp.client.endpointslices;
    await slices.create('default', sliceFor('alpha', [alpha!.port]));
    await slices.create('default', sliceFor('beta', [beta1!.port]));
    await slices.create('default', sliceFor('beta', [beta2!.port]));
    for (const host of ['a.test', 'b.test']) {
      const { cert, key } = pki.leaf(host);
      await cp.client.secrets.create('default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${host}-tls` }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(cert), 'tls.key': b64(key) } });
    }
    const backend = (name: string) => ({ service: { name, port: { name: 'http' } } });
    await cp.client.resource<Ingress>(RESOURCES.ingresses).create('default', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      // No ingressClassName: served because IngressClass kubets is the default.
      spec: {
        tls: [{ hosts: ['a.test'], secretName: 'a.test-tls' }, { hosts: ['b.test'], secretName: 'b.test-tls' }],
        rules: [
          { host: 'a.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('alpha') }] } },
          { host: 'b.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'beta', port: { number: 80 } } } }] } },
          { host: 'empty.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('empty') }] } },
        ],
      },
    });
    // A Node whose InternalIP (a documentation address, never contacted) joins the status list.
    await cp.client.nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-2' }, status: { addresses: [{ type: 'InternalIP', address: '203.0.113.7' }, { type: 'Hostname', address: 'node-2' }] } });
    ctl = await startIngressController({ client: cp.client, httpPort: 0, httpsPort: 0, host: '127.0.0.1', addresses: ['node-1.example', '127.0.0.1'], publishNodeAddresses: true, log: silentLogger });
  });

  after(async () => {
    await ctl?.close();
    for (const b of backends) await new Promise<void>((r) => { b.server.closeAllConnections(); b.server.close(() => r()); });
    await cp?.stop();
  });

  it('registers IngressClass kubets as the default class', async () => {
    const cls = await cp.client.resource<IngressClass>(RESOURCES.ingressclasses).get(undefined, 'kubets');
    assert.equal(cls.spec?.controller, 'kubets.io/ingress');
    assert.equal(cls.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'], 'true');
  });

  it('routes two hosts to two services over HTTP, with X-Forwarded headers', async () => {
    const a = await waitFor(async () => { const r = await get('a.test', '/x?y=1'); return r.status === 200 ? r : undefined; }, 10_000, 'a.test routed');
    assert.equal(a.json?.name, 'alpha');
    assert.equal(a.json?.path, '/x?y=1');
    assert.equal(a.json?.headers['x-forwarded-host'], 'a.test');
    assert.equal(a.json?.headers['x-forwarded-proto'], 'http');
    assert.equal(a.json?.headers['x-forwarded-for'], '127.0.0.1');
    const b = await get('b.test');
    assert.equal(b.status, 200);
    assert.match(b.json?.name ?? '', /^beta-/);
    assert.equal((await get('nowhere.test')).status, 404);
    const big = 'x'.repeat(200_000);
    const post = await request({ host: '127.0.0.1', port: ctl.ports.http, method: 'POST', path: '/upload', headers: { host: 'a.test', 'content-type': 'text/plain' } }, false, big);
    assert.equal(post.json?.method, 'POST');
    assert.equal(post.json?.body, big, 'the request body arrives whole');
  });

  it('serves HTTPS with the certificate SNI asks for', async () => {
    const a = await waitFor(async () => { const r = await getTls('a.test'); return r.status === 200 ? r : undefined; }, 10_000, 'https a.test');
    assert.equal(a.peerCN, 'a.test');
    assert.equal(a.json?.name, 'alpha');
    assert.equal(a.json?.headers['x-forwarded-proto'], 'https');
    const b = await getTls('b.test');
    assert.equal(b.peerCN, 'b.test');
    assert.match(b.json?.name ?? '', /^beta-/);
    // A name no Secret covers gets the self-signed default (which our CA does not trust).
    const other = await request({ host: '127.0.0.1', port: ctl.ports.https, servername: 'nowhere.test', headers: { host: 'nowhere.test' }, rejectUnauthorized: false }, true);
    assert.equal(other.status, 404);
    assert.equal(other.peerCN, 'kubets-ingress-default');
  });

  it('load-balances round-robin across ready endpoints', async () => {
    await waitFor(() => ctl.table().lookup('b.test', '/')?.targets.length === 2, 10_000, 'two beta endpoints');
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push((await get('b.test')).json?.name ?? '');
    assert.deepEqual(seen.filter((n) => n === 'beta-1').length, 3, seen.join(','));
    assert.deepEqual(seen.filter((n) => n === 'beta-2').length, 3, seen.join(','));
    for (let i = 1; i < seen.length; i++) assert.notEqual(seen[i], seen[i - 1], 'alternates');
  });

  it('answers 503 for a service without ready endpoints, until one appears', async () => {
    const r = await waitFor(async () => { const x = await get('empty.test'); return x.status === 503 ? x : undefined; }, 10_000, '503');
    assert.equal(r.status, 503);
    const gamma = backends[3]!;
    await cp.client.endpointslices.create('default', sliceFor('empty', [gamma.port]));
    const ok = await waitFor(async () => { const x = await get('empty.test'); return x.status === 200 ? x : undefined; }, 10_000, 'gamma routed');
    assert.equal(ok.json?.name, 'gamma');
  });

  it('answers 502 when the endpoint refuses the connection', async () => {
    const closed = await startBackend('closed');
    await new Promise<void>((r) => closed.server.close(() => r()));
    await cp.client.services.create('default', service('dead'));
    await cp.client.endpointslices.create('default', sliceFor('dead', [closed.port]));
    const ingresses = cp.client.resource<Ingress>(RESOURCES.ingresses);
    const web = await ingresses.get('default', 'web');
    web.spec!.rules!.push({ host: 'dead.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'dead', port: { name: 'http' } } } }] } });
    await ingresses.update(web);
    await waitFor(() => (ctl.table().lookup('dead.test', '/')?.targets.length ?? 0) > 0, 10_000, 'dead routed');
    assert.equal((await get('dead.test')).status, 502);
  });

  it('proxies WebSocket upgrades over HTTP and HTTPS', async () => {
    // ws hands TLS options (servername, ca) through to tls.connect.
    const talk = (url: string, opts: Record<string, unknown>) =>
      new Promise<string>((resolve, reject) => {
        const ws = new WebSocket(url, opts as ConstructorParameters<typeof WebSocket>[2]);
        ws.on('open', () => ws.send('hello'));
        ws.on('message', (m) => {
          resolve(m.toString());
          ws.close();
        });
        ws.on('error', reject);
      });
    await waitFor(async () => (await get('a.test')).status === 200, 10_000, 'a.test routed');
    assert.equal(await talk(`ws://127.0.0.1:${ctl.ports.http}/chat`, { headers: { host: 'a.test' } }), 'alpha:a.test:hello');
    assert.equal(await talk(`wss://127.0.0.1:${ctl.ports.https}/chat`, { headers: { host: 'a.test' }, servername: 'a.test', ca: pki.caPem }), 'alpha:a.test:hello');
  });

  it('sets the node addresses (given ones and every Node InternalIP) in the Ingress status', async () => {
    const ing = await waitFor(async () => {
      const x = await cp.client.resource<Ingress>(RESOURCES.ingresses).get('default', 'web');
      return x.status?.loadBalancer?.ingress?.length ? x : undefined;
    }, 10_000, 'status set');
    assert.deepEqual(ing.status?.loadBalancer?.ingress, [{ ip: '127.0.0.1' }, { ip: '203.0.113.7' }, { hostname: 'node-1.example' }]);
  });

  it('can share the caller\'s informer factory and leaves it running on close', async () => {
    const { informers } = cp.controllerContext();
    const services = informers.informer(RESOURCES.services);
    const second = await startIngressController({ client: cp.client, httpPort: 0, httpsPort: 0, host: '127.0.0.1', informers, log: silentLogger });
    try {
      const r = await request({ host: '127.0.0.1', port: second.ports.http, headers: { host: 'a.test' } }, false);
      assert.equal(r.json?.name, 'alpha');
    } finally {
      await second.close();
    }
    await cp.client.services.create('default', service('after-close'));
    await waitFor(() => services.store.list().some((s) => s.metadata.name === 'after-close'), 10_000, 'shared informer still watching');
  });

  it('ignores Ingresses of another class', async () => {
    await cp.client.resource<Ingress>(RESOURCES.ingresses).create('default', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'theirs' },
      spec: { ingressClassName: 'nginx', rules: [{ host: 'theirs.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'alpha', port: { number: 80 } } } }] } }] },
    });
    // A later change to ours comes through the same (ordered) watch, so once it shows, "theirs" has been seen too.
    const ingresses = cp.client.resource<Ingress>(RESOURCES.ingresses);
    const web = await ingresses.get('default', 'web');
    web.spec!.rules!.push({ host: 'marker.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'alpha', port: { number: 80 } } } }] } });
    await ingresses.update(web);
    await waitFor(() => ctl.table().lookup('marker.test', '/') !== undefined, 10_000, 'marker routed');
    assert.deepEqual(ctl.table().ingresses.map((i) => i.metadata.name), ['web']);
    assert.equal((await get('theirs.test')).status, 404);
    const theirs = await cp.client.resource<Ingress>(RESOURCES.ingresses).get('default', 'theirs');
    assert.equal(theirs.status?.loadBalancer?.ingress, undefined);
  });
});
