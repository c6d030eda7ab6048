// Fuzz: thousands of random and mutated bodies and paths. The server stays
// up, answers every bad request with a proper Status, and leaves no partial
// write in the store. Seeded, so every run sends the same requests.
import assert from 'node:assert/strict';
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeObject } from '../registry/storage-codec.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { seededRandom } from '../../testing/seeded-random.js';


const SEEDS = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fz' }, data: { a: '1' } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'fz' }, spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'fz' }, spec: { ports: [{ port: 80 }], selector: { a: 'b' } } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fz' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
];
const PATHS = [
  '/api/v1/namespaces/fuzz/configmaps', '/apis/apps/v1/namespaces/fuzz/deployments', '/api/v1/namespaces/fuzz/services',
  '/api/v1/namespaces/fuzz/pods', '/api/v1/namespaces/fuzz/configmaps/fz', '/apis/apps/v1/namespaces/fuzz/deployments/fz/scale',
  '/api/v1/namespaces/fuzz/pods/fz/status', '/api/v1/nodes', '/apis/nope/v1/things', '/api/v1/namespaces/other/configmaps',
];
const TYPES = ['application/json', 'application/yaml', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml', 'application/vnd.kubernetes.protobuf', 'text/plain'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ANSWER_DEADLINE_MS = 30_000;
const JUNK = [null, true, 0, -1, 1e309, 'x', '', [], {}, { a: { b: [1, 'c'] } }, '\u0000', 'é'.repeat(50)];

function mutate(rand: () => number, v: unknown, depth = 0): unknown {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  if (depth > 4 || rand() < 0.15) return pick(JUNK);
  if (Array.isArray(v)) return v.map((x) => mutate(rand, x, depth + 1)).concat(rand() < 0.2 ? [pick(JUNK)] : []);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (rand() < 0.1) continue;
      out[rand() < 0.05 ? `${k}x` : k] = rand() < 0.6 ? x : mutate(rand, x, depth + 1);
    }
    if (rand() < 0.1) out[pick(['metadata', 'spec', 'status', 'zz'])] = pick(JUNK);
    return out;
  }
  return rand() < 0.5 ? v : pick(JUNK);
}

function randomBody(rand: () => number): Buffer {
  const r = rand();
  const seed = SEEDS[Math.floor(rand() * SEEDS.length)]!;
  if (r < 0.5) return Buffer.from(JSON.stringify(mutate(rand, seed)));
  if (r < 0.65) {
    const text = JSON.stringify(seed);
    const cut = Math.floor(rand() * text.length);
    return Buffer.from(text.slice(0, cut) + text.slice(cut + 1 + Math.floor(rand() * 5)));
  }
  if (r < 0.75) return Buffer.from(Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)));
  if (r < 0.85) return Buffer.concat([Buffer.from('k8s\u0000'), Buffer.from(Array.from({ length: Math.floor(rand() * 100) }, () => Math.floor(rand() * 256)))]);
  if (r < 0.95) return Buffer.from(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${Math.floor(rand() * 5)}\n  bad: [\n`);
  return Buffer.from(JSON.stringify([{ op: 'replace', path: '/spec/replicas', value: 'x' }, { op: 'bogus' }]));
}

describe('API server fuzzing', () => {
  let cp: TestControlPlane;
  let agent: https.Agent;
  before(async () => {
    cp = await startTestControlPlane({ datastore: 'sqlite' });
    const pki = path.join(cp.dataDir, 'pki');
    agent = new https.Agent({ keepAlive: true, ca: fs.readFileSync(path.join(pki, 'ca.crt')), cert: fs.readFileSync(path.join(pki, 'admin.crt')), key: fs.readFileSync(path.join(pki, 'admin.key')), maxSockets: 8 });
    await cp.client.namespaces.create('', { metadata: { name: 'fuzz' } });
  });
  after(async () => {
    agent?.destroy();
    await cp?.stop();
  });

  const send = (method: string, p: string, type: string, body?: Buffer) =>
    new Promise<{ status: number; body: string; type: string }>((resolve, reject) => {
      const req = https.request(`${cp.server.url}${p}`, { method, agent, headers: body ? { 'Content-Type': type, 'Content-Length': body.length } : {} }, (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: data, type: String(res.headers['content-type']) }));
      });
      req.on('error', reject);
      // Catches a request the server never answers, not a slow one: an overloaded host once stalled an answer past 5 s.
      req.setTimeout(ANSWER_DEADLINE_MS, () => req.destroy(new Error(`no answer in ${ANSWER_DEADLINE_MS / 1000} s: ${method} ${p} (${type}) ${body?.toString('latin1').slice(0, 200)}`)));
      req.end(body);
    });

  it('answers 3,000 random requests with proper Status errors and stays up', async () => {
    const rand = seededRandom(20261125);
    const codes = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      const method = METHODS[Math.floor(rand() * METHODS.length)]!;
      let p = PATHS[Math.floor(rand() * PATHS.length)]!;
      if (rand() < 0.1) p += `?${['limit=-1', 'resourceVersion=abc', 'labelSelector=a in (', 'fieldSelector=spec.nope=1', 'watch=maybe&timeoutSeconds=x', 'continue=zzz', 'dryRun=Some', 'fieldValidation=Loose'][Math.floor(rand() * 8)]}`;
      if (rand() < 0.03) p = `/api/v1/namespaces/${'%ff%00'.repeat(3)}/configmaps`;
      const withBody = method !== 'GET' && rand() < 0.95;
      const type = TYPES[Math.floor(rand() * TYPES.length)]!;
      const res = await send(method, p, type, withBody ? randomBody(rand) : undefined);
      codes.set(res.status, (codes.get(res.status) ?? 0) + 1);
      assert.ok(res.status < 500 || res.status === 504, `${method} ${p} (${type}) → ${res.status}: ${res.body.slice(0, 300)}`);
      if (res.status >= 400) {
        const status = JSON.parse(res.body);
        assert.equal(status.kind, 'Status', res.body);
        assert.equal(status.status, 'Failure');
        assert.equal(status.code, res.status);
        assert.equal(typeof status.reason, 'string');
        assert.equal(typeof status.message, 'string');
      }
    }
    assert.ok((codes.get(400) ?? 0) > 100, `400s: ${JSON.stringify([...codes])}`);
    const big = await send('POST', '/api/v1/namespaces/fuzz/configmaps', 'application/json', Buffer.alloc(4 * 1024 * 1024, 0x20));
    assert.equal(big.status, 413);
    assert.equal(JSON.parse(big.body).reason, 'RequestEntityTooLarge');
    assert.equal((await send('GET', '/readyz', '')).body, 'ok');
  });

  it('left only whole, valid objects in the store', async () => {
    const { items } = await cp.server.core.store.list('/');
    assert.ok(items.length > 10);
    for (const kv of items) {
      const obj = decodeObject(kv);
      assert.equal(typeof obj.metadata.name, 'string', kv.key);
      assert.ok(obj.metadata.uid, kv.key);
      assert.ok(obj.metadata.creationTimestamp, kv.key);
      assert.ok(kv.key.endsWith(`/${obj.metadata.name}`), kv.key);
      const causes = cp.server.core.validator.validate(cp.server.core.registry.all().find((r) => kv.key.startsWith(`/${r.group || 'core'}/${r.resource}/`))!, obj);
      assert.deepEqual(causes, [], `${kv.key} is invalid: ${JSON.stringify(causes)}`);
    }
  });
});
