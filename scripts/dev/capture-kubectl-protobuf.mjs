#!/usr/bin/env node
// Throwaway capture server: answers legacy discovery and records the bodies
// kubectl POSTs, so real protobuf request bodies can be kept as test fixtures.
// Usage: node scripts/dev/capture-kubectl-protobuf.mjs <outdir>   (prints "listening <port>")
// Writes <outdir>/kubeconfig.yaml (insecure-skip-tls-verify) and, per POST or PUT,
// <outdir>/NNN.json {method, path, command, contentType, bodyBase64}. Writes are answered
// with their own body, which kubectl can read back; a few canned objects serve GET/PATCH.
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

const outDir = process.argv[2] ?? '/tmp/kubectl-capture';
fs.mkdirSync(outDir, { recursive: true });

function selfSigned() {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: 'commonName', value: 'capture' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) };
}

const verbs = ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete'];
const r = (name, kind, namespaced, extra = {}) => ({ name, singularName: '', namespaced, kind, verbs, ...extra });
const groups = {
  v1: [r('namespaces', 'Namespace', false), r('configmaps', 'ConfigMap', true), r('secrets', 'Secret', true),
    r('serviceaccounts', 'ServiceAccount', true), r('serviceaccounts/token', 'TokenRequest', true, { group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }),
    r('services', 'Service', true), r('pods', 'Pod', true), r('resourcequotas', 'ResourceQuota', true)],
  'apps/v1': [r('deployments', 'Deployment', true)],
  'batch/v1': [r('jobs', 'Job', true), r('cronjobs', 'CronJob', true)],
  'policy/v1': [r('poddisruptionbudgets', 'PodDisruptionBudget', true)],
  'scheduling.k8s.io/v1': [r('priorityclasses', 'PriorityClass', false)],
  'networking.k8s.io/v1': [r('ingresses', 'Ingress', true)],
  'rbac.authorization.k8s.io/v1': [r('roles', 'Role', true), r('clusterroles', 'ClusterRole', false), r('rolebindings', 'RoleBinding', true), r('clusterrolebindings', 'ClusterRoleBinding', false)],
  'authentication.k8s.io/v1': [r('selfsubjectreviews', 'SelfSubjectReview', false, { verbs: ['create'] }), r('tokenreviews', 'TokenReview', false, { verbs: ['create'] })],
  'authorization.k8s.io/v1': [r('selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, { verbs: ['create'] })],
};

const CANNED = {
  '/apis/apps/v1/namespaces/default/deployments/d': {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default', labels: { app: 'd' } },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
    },
  },
  '/api/v1/namespaces/default/pods/p': {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { app: 'p' } },
    spec: { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'A', value: 'B' }], resources: { limits: { cpu: '1' } } }], restartPolicy: 'Always' },
  },
  '/api/v1/nodes/n1': { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {} },
  '/api/v1/pods': {
    apiVersion: 'v1', kind: 'PodList', metadata: {},
    items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }] }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } }],
  },
  '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1': {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'csr1' },
    spec: { request: 'AAAA', signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], username: 'bob' }, status: {},
  },
};
groups.v1.push(r('nodes', 'Node', false), r('pods/eviction', 'Eviction', true, { group: 'policy', version: 'v1', verbs: ['create'] }));
groups['certificates.k8s.io/v1'] = [r('certificatesigningrequests', 'CertificateSigningRequest', false), r('certificatesigningrequests/approval', 'CertificateSigningRequest', false)];
groups['apps/v1'].push(r('deployments/scale', 'Scale', true, { group: 'autoscaling', version: 'v1' }));
groups['autoscaling/v2'] = [r('horizontalpodautoscalers', 'HorizontalPodAutoscaler', true)];
groups['autoscaling/v1'] = [r('horizontalpodautoscalers', 'HorizontalPodAutoscaler', true)];

let seq = 0;
const { key, cert } = selfSigned();
const server = https.createServer({ key, cert }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'https://x');
    const json = (code, obj) => { res.writeHead(code, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(obj)); };
    process.stderr.write(`${req.method} ${req.url} ${req.headers['content-type'] ?? ''} ${body.length}\n`);
    if (req.method === 'PATCH' && CANNED[url.pathname]) return json(200, CANNED[url.pathname]);
    if (req.method === 'POST' || req.method === 'PUT') {
      const n = String(++seq).padStart(3, '0');
      fs.writeFileSync(path.join(outDir, `${n}.json`), JSON.stringify({
        method: req.method, path: url.pathname, command: req.headers['kubectl-command'] ?? '',
        userAgent: req.headers['user-agent'] ?? '', contentType: req.headers['content-type'] ?? '', bodyBase64: body.toString('base64'),
      }, null, 2));
      // Echo the body back: protobuf in, protobuf out, and kubectl can read it.
      res.writeHead(201, { 'Content-Type': req.headers['content-type'] ?? 'application/json' });
      res.end(body);
      return;
    }
    const p = url.pathname;
    // Canned objects for commands that read before they write (expose, autoscale).
    const canned = CANNED[p];
    if (canned) return json(200, canned);
    if (p === '/api') return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (p === '/apis') return json(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: Object.keys(groups).filter((g) => g !== 'v1').map((gv) => ({ name: gv.split('/')[0], versions: [{ groupVersion: gv, version: 'v1' }], preferredVersion: { groupVersion: gv, version: 'v1' } })) });
    const gv = p === '/api/v1' ? 'v1' : p.startsWith('/apis/') ? p.slice(6) : '';
    if (groups[gv]) return json(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: groups[gv] });
    if (p === '/version') return json(200, { major: '1', minor: '33', gitVersion: 'v1.33.0' });
    json(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
  });
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  fs.writeFileSync(path.join(outDir, 'kubeconfig.yaml'), `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: c, user: u, namespace: default}}]
current-context: c
`);
  process.stdout.write(`listening ${port}\n`);
});
