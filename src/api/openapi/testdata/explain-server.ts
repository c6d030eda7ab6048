// A minimal HTTPS API server for tests: legacy discovery for the given
// resources plus the OpenAPI v3 documents, enough for `kubectl explain`.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { buildOpenApiV2 } from '../openapi-v2.js';
import { encodeOpenApiV2Protobuf, OPENAPI_V2_PROTOBUF_CONTENT_TYPE, wantsOpenApiV2Protobuf } from '../openapi-v2-protobuf.js';
import { buildOpenApiV3 } from '../openapi-v3.js';
import type { FieldExtensions, ResourceInfo } from '../schema-types.js';

function selfSignedCert(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: 'commonName', value: 'kubets-test' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { key: keyPem, cert: forge.pki.certificateToPem(cert) };
}

export interface ExplainServer {
  kubeconfig: string;
  /** Paths requested, in order. */
  requests: string[];
  /** "METHOD url" of every request, query included. */
  log: string[];
  close(): Promise<void>;
}

export async function startExplainServer(resources: ResourceInfo[], fieldExtensions?: FieldExtensions): Promise<ExplainServer> {
  const { root, documents } = buildOpenApiV3(resources, fieldExtensions ? { fieldExtensions } : {});
  const v2 = buildOpenApiV2(resources, fieldExtensions ? { fieldExtensions } : {});
  const groups = [...new Set(resources.filter((r) => r.group !== '').map((r) => r.group))];
  const resourceList = (group: string, version: string): unknown => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: resources
      .filter((r) => r.group === group && r.version === version)
      .map((r) => ({
        name: r.resource,
        singularName: r.kind.toLowerCase(),
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      })),
  });
  const routes = new Map<string, unknown>([
    ['/version', { major: '1', minor: '33', gitVersion: 'v1.33.0+kubets', platform: 'linux/amd64' }],
    ['/api', { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] }],
    [
      '/apis',
      {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((g) => {
          const versions = [...new Set(resources.filter((r) => r.group === g).map((r) => r.version))];
          const gv = versions.map((v) => ({ groupVersion: `${g}/${v}`, version: v }));
          return { name: g, versions: gv, preferredVersion: gv[0] };
        }),
      },
    ],
    ['/openapi/v3', root],
    ['/openapi/v2', v2],
  ]);
  for (const r of resources) {
    routes.set(r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`, resourceList(r.group, r.version));
  }
  for (const [key, doc] of documents) routes.set(`/openapi/v3/${key}`, doc);

  const requests: string[] = [];
  const log: string[] = [];
  const server: Server = createServer(selfSignedCert(), (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push(path);
    log.push(`${req.method ?? ''} ${req.url ?? ''}`);
    if (path === '/openapi/v2' && wantsOpenApiV2Protobuf(req.headers.accept)) {
      res.writeHead(200, { 'content-type': OPENAPI_V2_PROTOBUF_CONTENT_TYPE });
      res.end(encodeOpenApiV2Protobuf(v2));
      return;
    }
    const body = routes.get(path);
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'kubets-openapi-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: t\n  cluster:\n    server: https://127.0.0.1:${port}\n    insecure-skip-tls-verify: true`,
      'users:',
      '- name: t\n  user:\n    token: test',
      'contexts:',
      '- name: t\n  context:\n    cluster: t\n    user: t',
      'current-context: t',
      '',
    ].join('\n'),
  );
  return {
    kubeconfig,
    requests,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
