// Unit tests of the token formats: CSV token files, bearer extraction,
// bootstrap Secrets and node-token, service-account JWT claims.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { ensurePki, type Pki } from '../pki/pki.js';
import { bearerToken } from './bearer.js';
import {
  bootstrapTokenSecret,
  bootstrapUser,
  caCertHash,
  ensureNodeToken,
  generateBootstrapToken,
  parseBootstrapToken,
  parseNodeToken,
} from './bootstrap-token.js';
import { issueServiceAccountToken, serviceAccountJwks } from './service-account-token.js';
import { parseCsvLine, parseTokenFile } from './token-file.js';

describe('static token file', () => {
  it('splits quoted CSV fields', () => {
    assert.deepEqual(parseCsvLine('t,u,id,"a,b"'), ['t', 'u', 'id', 'a,b']);
    assert.deepEqual(parseCsvLine('"x""y",u'), ['x"y', 'u']);
  });

  it('parses users, uids and groups, skipping blanks and comments', () => {
    const m = parseTokenFile('# comment\n\nt1,alice,1,"g1,g2"\nt2,bob\n');
    assert.deepEqual(m.get('t1'), { username: 'alice', uid: '1', groups: ['g1', 'g2', 'system:authenticated'] });
    assert.deepEqual(m.get('t2'), { username: 'bob', groups: ['system:authenticated'] });
  });

  it('reports bad and duplicate lines with their number', () => {
    assert.throws(() => parseTokenFile('t1\n'), { name: 'TokenFileError', message: /line 1/ });
    assert.throws(() => parseTokenFile('t1,a\nt1,b\n'), { name: 'TokenFileError', message: /line 2: duplicate/ });
  });
});

describe('bearerToken', () => {
  it('reads the Authorization header case-insensitively', () => {
    assert.equal(bearerToken({ authorization: 'Bearer abc.def' }), 'abc.def');
    assert.equal(bearerToken({ authorization: 'bearer abc' }), 'abc');
    assert.equal(bearerToken({ authorization: 'Basic abc' }), null);
    assert.equal(bearerToken({}), null);
  });

  it('reads the WebSocket bearer subprotocol', () => {
    const encoded = Buffer.from('tok.en').toString('base64url');
    assert.equal(bearerToken({ 'sec-websocket-protocol': `v5.channel.k8s.io, base64url.bearer.authorization.k8s.io.${encoded}` }), 'tok.en');
  });
});

describe('bootstrap tokens', () => {
  const now = new Date('2030-01-01T00:00:00Z');

  it('generates tokens in the <6>.<16> lower-case alphanumeric form', () => {
    const t = generateBootstrapToken();
    assert.match(`${t.id}.${t.secret}`, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    assert.notDeepEqual(generateBootstrapToken(), t);
    assert.deepEqual(parseBootstrapToken(`${t.id}.${t.secret}`), t);
    assert.equal(parseBootstrapToken('ABCDEF.0123456789abcdef'), null);
  });

  it('builds the kube-system Secret with base64 data', () => {
    const t = { id: 'abcdef', secret: '0123456789abcdef' };
    const s = bootstrapTokenSecret(t, { expiration: new Date('2030-01-02T00:00:00Z'), extraGroups: ['system:bootstrappers:x'] });
    assert.equal(s.metadata.name, 'bootstrap-token-abcdef');
    assert.equal(s.metadata.namespace, 'kube-system');
    assert.equal(s.type, 'bootstrap.kubernetes.io/token');
    const data = Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    assert.deepEqual(data, {
      'token-id': 'abcdef',
      'token-secret': '0123456789abcdef',
      'usage-bootstrap-authentication': 'true',
      expiration: '2030-01-02T00:00:00Z',
      'auth-extra-groups': 'system:bootstrappers:x',
    });
    assert.equal(bootstrapUser(s, t, now)?.username, 'system:bootstrap:abcdef');
  });

  it('refuses Secrets without the authentication usage, with bad groups, or being deleted', () => {
    const t = { id: 'abcdef', secret: '0123456789abcdef' };
    assert.equal(bootstrapUser(bootstrapTokenSecret(t, { usages: ['signing'] }), t, now), null);
    assert.equal(bootstrapUser(bootstrapTokenSecret(t, { extraGroups: ['system:masters'] }), t, now), null);
    const deleting = bootstrapTokenSecret(t);
    assert.equal(bootstrapUser({ ...deleting, metadata: { ...deleting.metadata, deletionTimestamp: now.toISOString() } }, t, now), null);
    assert.equal(bootstrapUser({ ...deleting, type: 'Opaque' }, t, now), null);
  });
});

describe('node-token and service-account tokens', () => {
  let dir: string;
  let pki: Pki;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubets-tokens-'));
    pki = await ensurePki(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes DIR/node-token once, k3s-style with the CA hash, and reuses it', async () => {
    const first = await ensureNodeToken(dir, pki.ca.cert.raw);
    const text = await readFile(join(dir, 'node-token'), 'utf8');
    assert.equal((await stat(join(dir, 'node-token'))).mode & 0o777, 0o600);
    assert.match(text, /^K10[0-9a-f]{64}::[a-z0-9]{6}\.[a-z0-9]{16}\n$/);
    assert.deepEqual(parseNodeToken(text), { token: first.token, caHash: caCertHash(pki.ca.cert.raw) });
    const second = await ensureNodeToken(dir, pki.ca.cert.raw);
    assert.deepEqual(second.token, first.token);
    assert.equal(second.secret.metadata.name, `bootstrap-token-${first.token.id}`);
    assert.ok(bootstrapUser(second.secret, first.token, new Date())?.groups.includes('system:bootstrappers'));
  });

  it('keeps a bare token someone wrote into node-token', async () => {
    await writeFile(join(dir, 'node-token'), 'abcdef.0123456789abcdef\n');
    const r = await ensureNodeToken(dir);
    assert.deepEqual(r.token, { id: 'abcdef', secret: '0123456789abcdef' });
  });

  it('issues JWTs with the upstream claim layout', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const { token, expirationTimestamp } = await issueServiceAccountToken(pki, {
      namespace: 'ns1',
      serviceAccountName: 'sa1',
      serviceAccountUid: 'u1',
      boundObject: { kind: 'Pod', name: 'p1', uid: 'pu1' },
      expirationSeconds: 600,
      now,
    });
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'ES256', kid: pki.serviceAccount.keyId });
    const claims = decodeJwt(token);
    const iat = now.getTime() / 1000;
    assert.equal(expirationTimestamp.getTime(), (iat + 600) * 1000);
    assert.deepEqual({ ...claims, jti: undefined }, {
      aud: ['https://kubernetes.default.svc.cluster.local'],
      exp: iat + 600,
      iat,
      nbf: iat,
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: 'system:serviceaccount:ns1:sa1',
      jti: undefined,
      'kubernetes.io': { namespace: 'ns1', serviceaccount: { name: 'sa1', uid: 'u1' }, pod: { name: 'p1', uid: 'pu1' } },
    });
  });

  it('publishes a JWKS that verifies the tokens', async () => {
    const now = new Date();
    const { token } = await issueServiceAccountToken(pki, { namespace: 'a', serviceAccountName: 'b', serviceAccountUid: 'c', audiences: ['vault'], now });
    const jwks = serviceAccountJwks(pki.serviceAccount);
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]), { audience: 'vault' });
    assert.equal(payload.sub, 'system:serviceaccount:a:b');
  });
});
