// Request shapes against a recording local HTTP server.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { parseLabelSelector } from '../api/labels.js';
import { KubeClient } from './client.js';
import { ApiStatusError, ApiTransportError, isGone } from './errors.js';
import type { WatchEvent } from './watch.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Responder = (req: Seen, res: http.ServerResponse) => void;

describe('ResourceClient request shapes', () => {
  let server: http.Server;
  let client: KubeClient;
  let url: string;
  let seen: Seen[] = [];
  let respond: Responder;

  const json = (res: http.ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const s = { method: req.method!, url: req.url!, headers: req.headers, body };
        seen.push(s);
        respond(s, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    url = `http://127.0.0.1:${port}`;
    // Generous: a slow host must not turn an answered request into a timeout (one test below wants a short one).
    client = KubeClient.fromConfig({ server: url, token: 'tkn' }, { component: 'test', timeoutMs: 30_000 });
  });
  after(() => {
    client.close();
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    seen = [];
    respond = (s, res) => json(res, 200, { metadata: { name: 'x', resourceVersion: '7' }, echo: s.body ? JSON.parse(s.body) : null });
  });

  it('sends identity headers and list query parameters, and returns items with the resourceVersion', async () => {
    respond = (_s, res) => json(res, 200, { kind: 'PodList', metadata: { resourceVersion: '42', continue: 'tok' }, items: [{ metadata: { name: 'a' } }] });
    const r = await client.pods.list('ns1', { labelSelector: parseLabelSelector('app=x,tier!=db'), fieldSelector: 'spec.nodeName=n1', limit: 10 });
    assert.deepEqual(r, { items: [{ metadata: { name: 'a' } }], resourceVersion: '42', continue: 'tok' });
    const u = new URL(seen[0]!.url, 'http://x');
    assert.equal(u.pathname, '/api/v1/namespaces/ns1/pods');
    assert.equal(u.searchParams.get('labelSelector'), 'app=x,tier!=db');
    assert.equal(u.searchParams.get('fieldSelector'), 'spec.nodeName=n1');
    assert.equal(u.searchParams.get('limit'), '10');
    assert.equal(seen[0]!.headers['user-agent'], 'kubets/test');
    assert.equal(seen[0]!.headers.authorization, 'Bearer tkn');
  });

  it('listAll follows continue tokens', async () => {
    respond = (s, res) => {
      const page = new URL(s.url, 'http://x').searchParams.get('continue');
      if (!page) json(res, 200, { metadata: { resourceVersion: '5', continue: 'p2' }, items: [{ metadata: { name: 'a' } }] });
      else json(res, 200, { metadata: { resourceVersion: '5' }, items: [{ metadata: { name: 'b' } }] });
    };
    const r = await client.configmaps.listAll('ns', { limit: 1 });
    assert.deepEqual(r.items.map((i) => i.metadata.name), ['a', 'b']);
    assert.equal(seen.length, 2);
  });

  it('fills apiVersion/kind on create and PUTs updates to the object and status paths', async () => {
    await client.deployments.create('d', { metadata: { name: 'web' } }, { fieldManager: 'kcm' });
    assert.equal(seen[0]!.method, 'POST');
    assert.equal(seen[0]!.url, '/apis/apps/v1/namespaces/d/deployments?fieldManager=kcm');
    assert.deepEqual(JSON.parse(seen[0]!.body), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } });
    await client.deployments.updateStatus({ metadata: { name: 'web', namespace: 'd', resourceVersion: '3' } });
    assert.equal(seen[1]!.method, 'PUT');
    assert.equal(seen[1]!.url, '/apis/apps/v1/namespaces/d/deployments/web/status');
  });

  it('writeStatus PUTs to the status path, answers nothing on success and throws the Status on failure', async () => {
    const pod = { metadata: { name: 'p', namespace: 'ns', resourceVersion: '3' }, status: { phase: 'Running' } };
    assert.equal(await client.pods.writeStatus(pod, { fieldManager: 'sim' }), undefined);
    assert.equal(seen[0]!.method, 'PUT');
    assert.equal(seen[0]!.url, '/api/v1/namespaces/ns/pods/p/status?fieldManager=sim');
    assert.deepEqual(JSON.parse(seen[0]!.body).status, { phase: 'Running' });
    respond = (_s, res) => json(res, 409, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', code: 409, message: 'stale' });
    await assert.rejects(client.pods.writeStatus(pod), (err: Error & { code?: number }) => err.code === 409 && /stale/.test(err.message));
  });

  it('submit POSTs like create, with the kind filled in, answers nothing on success and throws the Status on failure', async () => {
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    assert.equal(await client.pods.submit('ns', pod, { fieldManager: 'rs' }), undefined);
    assert.equal(seen[0]!.method, 'POST');
    assert.equal(seen[0]!.url, '/api/v1/namespaces/ns/pods?fieldManager=rs');
    const sent = JSON.parse(seen[0]!.body);
    assert.equal(sent.kind, 'Pod');
    assert.deepEqual(sent.spec, pod.spec);
    respond = (_s, res) => json(res, 403, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: 'namespace is terminating' });
    await assert.rejects(client.pods.submit('ns', pod), (err: Error & { code?: number }) => err.code === 403 && /terminating/.test(err.message));
  });

  it('uses the content type of each patch type; apply carries fieldManager and force', async () => {
    const types = { merge: 'application/merge-patch+json', strategic: 'application/strategic-merge-patch+json', json: 'application/json-patch+json', apply: 'application/apply-patch+yaml' } as const;
    for (const [t, ct] of Object.entries(types)) {
      seen = [];
      await client.pods.patch('ns', 'p', t === 'json' ? [{ op: 'add', path: '/x', value: 1 }] : { a: 1 }, t as keyof typeof types, { fieldManager: 'me', force: true });
      assert.equal(seen[0]!.method, 'PATCH');
      assert.equal(seen[0]!.headers['content-type'], ct);
      const q = new URL(seen[0]!.url, 'http://x').searchParams;
      assert.equal(q.get('fieldManager'), 'me');
      assert.equal(q.get('force'), t === 'apply' ? 'true' : null);
    }
    assert.throws(() => client.pods.patch('ns', 'p', {}, 'apply'), TypeError);
  });

  it('sends DeleteOptions in the delete body', async () => {
    await client.pods.delete('ns', 'p', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u1' } });
    assert.equal(seen[0]!.method, 'DELETE');
    assert.deepEqual(JSON.parse(seen[0]!.body), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u1' } });
  });

  it('posts Binding, Eviction and TokenRequest bodies to the subresources', async () => {
    await client.bind('ns', 'p', 'node-1');
    assert.equal(seen[0]!.url, '/api/v1/namespaces/ns/pods/p/binding');
    assert.deepEqual(JSON.parse(seen[0]!.body).target, { apiVersion: 'v1', kind: 'Node', name: 'node-1' });
    await client.evict('ns', 'p', { gracePeriodSeconds: 5 });
    assert.equal(seen[1]!.url, '/api/v1/namespaces/ns/pods/p/eviction');
    assert.equal(JSON.parse(seen[1]!.body).apiVersion, 'policy/v1');
    respond = (_s, res) => json(res, 201, { status: { token: 'jwt', expirationTimestamp: '2030-01-01T00:00:00Z' } });
    assert.equal((await client.createToken('ns', 'default', { audiences: ['a'] })).token, 'jwt');
    assert.equal(seen[2]!.url, '/api/v1/namespaces/ns/serviceaccounts/default/token');
  });

  it('maps Status replies to ApiStatusError', async () => {
    respond = (_s, res) => json(res, 409, { kind: 'Status', status: 'Failure', reason: 'AlreadyExists', message: 'exists', code: 409 });
    await assert.rejects(client.pods.create('ns', { metadata: { name: 'p' } }), (e: unknown) => e instanceof ApiStatusError && e.reason === 'AlreadyExists');
  });

  it('times out a request that gets no reply', async () => {
    respond = () => {};
    const impatient = KubeClient.fromConfig({ server: url, token: 'tkn' }, { component: 'test', timeoutMs: 300 });
    try {
      await assert.rejects(impatient.pods.get('ns', 'p'), (e: unknown) => e instanceof ApiTransportError && /timed out/.test(e.message));
    } finally {
      impatient.close();
    }
  });

  it('streams watch events across arbitrary chunk boundaries, then ends with the ERROR status as a typed error', async () => {
    const lines = [
      { type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '2' } } },
      { type: 'BOOKMARK', object: { metadata: { resourceVersion: '3' } } },
      { type: 'DELETED', object: { metadata: { name: 'a', resourceVersion: '4' } } },
      { type: 'ERROR', object: { kind: 'Status', status: 'Failure', reason: 'Expired', message: 'too old', code: 410 } },
    ].map((l) => JSON.stringify(l) + '\n').join('');
    respond = (_s, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const buf = Buffer.from(lines);
      // Odd-sized chunks split events mid-JSON.
      let i = 0;
      const next = () => {
        if (i >= buf.length) return;
        res.write(buf.subarray(i, i + 7), () => next());
        i += 7;
      };
      next();
    };
    const events: WatchEvent[] = [];
    const h = await client.pods.watch('ns', { resourceVersion: '1', allowWatchBookmarks: true, timeoutSeconds: 30 }, (e) => events.push(e));
    await assert.rejects(h.done, (e: unknown) => isGone(e) && (e as ApiStatusError).message === 'too old');
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.resourceVersion]), [['ADDED', '2'], ['BOOKMARK', '3'], ['DELETED', '4']]);
    const q = new URL(seen[0]!.url, 'http://x').searchParams;
    assert.equal(q.get('watch'), 'true');
    assert.equal(q.get('allowWatchBookmarks'), 'true');
    assert.equal(q.get('timeoutSeconds'), '30');
  });

  it('stop() ends a watch the server holds open, and done resolves', async () => {
    respond = (_s, res) => {
      res.writeHead(200);
      res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } }) + '\n');
    };
    let got!: () => void;
    const first = new Promise<void>((r) => (got = r));
    const h = await client.pods.watch(undefined, {}, () => got());
    await first;
    h.stop();
    await h.done;
  });
});
