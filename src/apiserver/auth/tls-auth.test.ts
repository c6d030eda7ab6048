// Real TLS handshakes on loopback with the generated PKI, through every authenticator.
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { request, type RequestOptions } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { writeKubeconfig } from '../pki/kubeconfig.js';
import { ensurePki, issueClientCert, type Pki } from '../pki/pki.js';
import { buildAuthenticator } from './authenticator.js';
import { bootstrapTokenSecret, formatBootstrapToken, generateBootstrapToken } from './bootstrap-token.js';
import type { ObjectLike, SecretLike } from './secret-types.js';
import { issueLegacyServiceAccountToken } from './legacy-service-account-token.js';
import { issueServiceAccountToken } from './service-account-token.js';
import { get, startWhoamiServer, type TestServer } from './test-server.js';
import type { UserInfo } from './types.js';
import { X509Authenticator } from './x509-authenticator.js';
import type { PeerCertificate } from 'node:tls';

const run = promisify(execFile);
const kubectl = (v: string) => `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`;

describe('authentication over TLS', () => {
  let dir: string;
  let pki: Pki;
  let otherPki: Pki;
  let server: TestServer;
  const secrets = new Map<string, SecretLike>();
  const serviceAccounts = new Map<string, ObjectLike>();
  const pods = new Map<string, ObjectLike>();
  const bootstrap = generateBootstrapToken();
  const expiredBootstrap = generateBootstrapToken();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubets-authn-'));
    [pki, otherPki] = await Promise.all([ensurePki(join(dir, 'a')), ensurePki(join(dir, 'b'))]);
    const tokenFile = join(dir, 'tokens.csv');
    await writeFile(tokenFile, 'static-token-1,alice,uid-a,"dev,ops"\nstatic-token-2,bob,uid-b\n');
    for (const [t, expiration] of [
      [bootstrap, new Date(Date.now() + 3600e3)],
      [expiredBootstrap, new Date(Date.now() - 1000)],
    ] as const) {
      const s = bootstrapTokenSecret(t, { expiration, extraGroups: ['system:bootstrappers:kubets:default-node-token'] });
      secrets.set(`kube-system/${s.metadata.name}`, s);
    }
    serviceAccounts.set('default/builder', { metadata: { uid: 'sa-uid-1' } });
    pods.set('default/web-0', { metadata: { uid: 'pod-uid-1' } });
    const authn = await buildAuthenticator({
      caPem: pki.ca.certPem,
      tokenAuthFile: tokenFile,
      getSecret: async (ns, name) => secrets.get(`${ns}/${name}`) ?? null,
      serviceAccount: {
        key: pki.serviceAccount,
        lookup: {
          getServiceAccount: async (ns, name) => serviceAccounts.get(`${ns}/${name}`) ?? null,
          getPod: async (ns, name) => pods.get(`${ns}/${name}`) ?? null,
          getSecret: async (ns, name) => secrets.get(`${ns}/${name}`) ?? null,
        },
      },
    });
    server = await startWhoamiServer(pki, authn);
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const asUser = async (o: { cert?: string; key?: string; token?: string }) => {
    const headers: Record<string, string> = o.token ? { authorization: `Bearer ${o.token}` } : {};
    return get(server.url, { ca: pki.ca.certPem, cert: o.cert, key: o.key, headers });
  };

  it('maps the admin client certificate to system:admin in system:masters', async () => {
    const r = await asUser({ cert: pki.admin.certPem, key: pki.admin.keyPem });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] });
  });

  it('takes several O values as several groups', async () => {
    const c = issueClientCert(pki, { commonName: 'system:node:n1', organizations: ['system:nodes', 'extra'] });
    const r = await asUser({ cert: c.certPem, key: c.keyPem });
    assert.deepEqual(r.body, { username: 'system:node:n1', groups: ['system:nodes', 'extra', 'system:authenticated'] });
  });

  it('treats a client certificate from another CA as anonymous', async () => {
    const r = await asUser({ cert: otherPki.admin.certPem, key: otherPki.admin.keyPem });
    assert.equal(r.status, 401);
  });

  it('re-checks a forwarded certificate against the CA and its validity period', async () => {
    const forged = { raw: otherPki.admin.cert.raw, subject: { CN: 'system:admin', O: 'system:masters' } } as unknown as PeerCertificate;
    assert.equal(await new X509Authenticator(pki.ca.certPem).authenticate({ headers: {}, peerCertificate: forged }), null);
    const genuine = { raw: pki.admin.cert.raw, subject: { CN: 'system:admin', O: 'system:masters' } } as unknown as PeerCertificate;
    assert.equal((await new X509Authenticator(pki.ca.certPem).authenticate({ headers: {}, peerCertificate: genuine }))?.username, 'system:admin');
    const muchLater = () => new Date(Date.now() + 2 * 365 * 24 * 3600e3);
    assert.equal(await new X509Authenticator(pki.ca.certPem, muchLater).authenticate({ headers: {}, peerCertificate: genuine }), null);
  });

  it('answers 401 without credentials', async () => {
    assert.equal((await asUser({})).status, 401);
  });

  it('serves a certificate that clients trusting another CA reject', async () => {
    await assert.rejects(get(server.url, { ca: otherPki.ca.certPem }), /self[- ]signed|unable to verify|certificate/i);
  });

  it('serves a certificate valid for kubernetes.default.svc', async () => {
    const r = await get(server.url, { ca: pki.ca.certPem, servername: 'kubernetes.default.svc' });
    assert.equal(r.status, 401);
  });

  it('accepts static tokens from the token file', async () => {
    assert.deepEqual((await asUser({ token: 'static-token-1' })).body, {
      username: 'alice',
      uid: 'uid-a',
      groups: ['dev', 'ops', 'system:authenticated'],
    });
    assert.deepEqual((await asUser({ token: 'static-token-2' })).body, {
      username: 'bob',
      uid: 'uid-b',
      groups: ['system:authenticated'],
    });
    assert.equal((await asUser({ token: 'static-token-3' })).status, 401);
  });

  it('accepts a valid bootstrap token', async () => {
    const r = await asUser({ token: formatBootstrapToken(bootstrap) });
    assert.deepEqual(r.body, {
      username: `system:bootstrap:${bootstrap.id}`,
      groups: ['system:bootstrappers', 'system:bootstrappers:kubets:default-node-token', 'system:authenticated'],
    });
  });

  it('rejects expired, wrong-secret and unknown bootstrap tokens', async () => {
    assert.equal((await asUser({ token: formatBootstrapToken(expiredBootstrap) })).status, 401);
    const wrong = { id: bootstrap.id, secret: bootstrap.secret.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) };
    assert.equal((await asUser({ token: formatBootstrapToken(wrong) })).status, 401);
    assert.equal((await asUser({ token: formatBootstrapToken(generateBootstrapToken()) })).status, 401);
  });

  const saToken = (o: Partial<Parameters<typeof issueServiceAccountToken>[1]> = {}) =>
    issueServiceAccountToken(pki, {
      namespace: 'default',
      serviceAccountName: 'builder',
      serviceAccountUid: 'sa-uid-1',
      now: new Date(),
      ...o,
    }).then((t) => t.token);

  it('accepts a service-account token', async () => {
    const r = await asUser({ token: await saToken() });
    assert.equal(r.status, 200);
    const user = r.body as UserInfo;
    assert.equal(user.username, 'system:serviceaccount:default:builder');
    assert.equal(user.uid, 'sa-uid-1');
    assert.deepEqual(user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    assert.match(user.extra?.['authentication.kubernetes.io/credential-id']?.[0] ?? '', /^JTI=[0-9a-f-]{36}$/);
  });

  it('accepts a pod-bound token while the pod exists', async () => {
    const token = await saToken({ boundObject: { kind: 'Pod', name: 'web-0', uid: 'pod-uid-1' } });
    const user = (await asUser({ token })).body as UserInfo;
    assert.deepEqual(user.extra?.['authentication.kubernetes.io/pod-name'], ['web-0']);
    const stale = await saToken({ boundObject: { kind: 'Pod', name: 'web-0', uid: 'old-pod-uid' } });
    assert.equal((await asUser({ token: stale })).status, 401);
    const gone = await saToken({ boundObject: { kind: 'Pod', name: 'web-1', uid: 'pod-uid-2' } });
    assert.equal((await asUser({ token: gone })).status, 401);
  });

  it('rejects expired service-account tokens', async () => {
    const token = await saToken({ now: new Date(Date.now() - 7200e3), expirationSeconds: 3600 });
    assert.equal((await asUser({ token })).status, 401);
  });

  it('rejects service-account tokens for another audience', async () => {
    const token = await saToken({ audiences: ['vault'] });
    assert.equal((await asUser({ token })).status, 401);
  });

  it('rejects tokens of a deleted or re-created service account', async () => {
    const token = await saToken();
    serviceAccounts.delete('default/builder');
    try {
      assert.equal((await asUser({ token })).status, 401);
      serviceAccounts.set('default/builder', { metadata: { uid: 'sa-uid-2' } });
      assert.equal((await asUser({ token })).status, 401);
    } finally {
      serviceAccounts.set('default/builder', { metadata: { uid: 'sa-uid-1' } });
    }
  });

  it('accepts a legacy Secret-based token only while its Secret holds it', async () => {
    const token = await issueLegacyServiceAccountToken(pki, {
      namespace: 'default',
      serviceAccountName: 'builder',
      serviceAccountUid: 'sa-uid-1',
      secretName: 'builder-token',
    });
    const secret = { type: 'kubernetes.io/service-account-token', metadata: { uid: 's1' }, data: { token: Buffer.from(token).toString('base64') } };
    assert.equal((await asUser({ token })).status, 401);
    secrets.set('default/builder-token', secret);
    try {
      const user = (await asUser({ token })).body as UserInfo;
      assert.equal(user.username, 'system:serviceaccount:default:builder');
      assert.deepEqual(user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
      secrets.set('default/builder-token', { ...secret, data: { token: Buffer.from('other').toString('base64') } });
      assert.equal((await asUser({ token })).status, 401);
    } finally {
      secrets.delete('default/builder-token');
    }
  });

  it('rejects tokens signed by another key', async () => {
    const token = await issueServiceAccountToken(otherPki, {
      namespace: 'default',
      serviceAccountName: 'builder',
      serviceAccountUid: 'sa-uid-1',
      now: new Date(),
    });
    assert.equal((await asUser({ token: token.token })).status, 401);
  });

  it('lets @kubernetes/client-node connect with the admin kubeconfig', async () => {
    const path = join(dir, 'kubeconfig-client-node.yaml');
    await writeKubeconfig(path, {
      server: server.url,
      caPem: pki.ca.certPem,
      clientCertPem: pki.admin.certPem,
      clientKeyPem: pki.admin.keyPem,
    });
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    const opts: RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    const req = request(kc.getCurrentCluster()?.server ?? '', { ...opts, agent: false });
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    let body = '';
    for await (const chunk of res) body += String(chunk);
    assert.equal(res.statusCode, 200);
    assert.equal((JSON.parse(body) as UserInfo).username, 'system:admin');
  });

  for (const version of ['1.27', '1.33']) {
    it(`lets kubectl ${version} connect with the admin kubeconfig and with a token`, async () => {
      const path = join(dir, `kubeconfig-${version}.yaml`);
      await writeKubeconfig(path, {
        server: server.url,
        caPem: pki.ca.certPem,
        clientCertPem: pki.admin.certPem,
        clientKeyPem: pki.admin.keyPem,
      });
      const { stdout } = await run(kubectl(version), ['--kubeconfig', path, 'get', '--raw', '/']);
      assert.equal((JSON.parse(stdout) as UserInfo).username, 'system:admin');
      const whoami = await run(kubectl(version), ['--kubeconfig', path, 'auth', 'whoami', '-o', 'json']);
      const review = JSON.parse(whoami.stdout) as { status: { userInfo: UserInfo } };
      assert.deepEqual(review.status.userInfo.groups, ['system:masters', 'system:authenticated']);
      // Also via the DNS name the in-cluster config uses.
      const byToken = await run(kubectl(version), [
        '--kubeconfig', '/dev/null', '--server', `https://localhost:${server.port}`,
        '--certificate-authority', join(dir, 'a', 'pki', 'ca.crt'), '--token', 'static-token-1', 'get', '--raw', '/',
      ]);
      assert.equal((JSON.parse(byToken.stdout) as UserInfo).username, 'alice');
    });
  }
});
