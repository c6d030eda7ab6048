#!/usr/bin/env node
// Regenerates src/api/protobuf/testdata/kubectl-bodies.json: runs each command with a
// real kubectl against the capture server (recording the protobuf body it POSTs) and
// again with --dry-run=client -o json, whose output is the independent expectation.
// Usage: node scripts/dev/make-protobuf-fixtures.mjs   (needs kubectl.1.32/1.33 under BIN)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = process.env.KUBECTL_BIN_DIR ?? '/usr/lib/google-cloud-sdk/bin';
const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '../../src/api/protobuf/testdata/kubectl-bodies.json');

// [args, dryRunnable]: commands without a dry-run (reviews, tokens) get hand-written expectations.
const COMMANDS = [
  [['create', 'namespace', 'x'], true],
  [['create', 'configmap', 'c', '--from-literal=a=b'], true],
  [['create', 'configmap', 'bin', '--from-file=b=BINFILE'], true],
  [['create', 'secret', 'generic', 's', '--from-literal=a=b'], true],
  [['create', 'secret', 'docker-registry', 'dr', '--docker-server=s', '--docker-username=u', '--docker-password=p'], true],
  [['create', 'deployment', 'd', '--image=busybox', '--replicas=2', '--port=80'], true],
  [['create', 'service', 'clusterip', 's', '--tcp=80:8080'], true],
  [['create', 'service', 'nodeport', 'np', '--tcp=80:http', '--node-port=30080'], true],
  [['create', 'service', 'externalname', 'en', '--external-name=ex.com'], true],
  [['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi'], true],
  [['create', 'cronjob', 'c', '--image=busybox', '--schedule=*/1 * * * *'], true],
  [['create', 'serviceaccount', 'sa'], true],
  [['create', 'role', 'r', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=x'], true],
  [['create', 'clusterrole', 'cr', '--verb=get', '--non-resource-url=/healthz'], true],
  [['create', 'clusterrole', 'agg', '--aggregation-rule=a=b'], true],
  [['create', 'rolebinding', 'rb', '--role=r', '--user=u1', '--group=g1', '--serviceaccount=default:sa'], true],
  [['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--user=u1'], true],
  [['create', 'quota', 'q', '--hard=cpu=1,memory=1Gi,pods=10', '--scopes=BestEffort'], true],
  [['create', 'priorityclass', 'pc', '--value=1000', '--description=hi', '--preemption-policy=Never', '--global-default=true'], true],
  [['create', 'pdb', 'pdb', '--selector=app=x', '--min-available=50%'], true],
  [['create', 'pdb', 'pdb2', '--selector=app=x', '--max-unavailable=0'], true],
  [['create', 'ingress', 'ing', '--class=nginx', '--rule=foo.com/bar=svc:8080,tls=sec', '--default-backend=def:http'], true],
  [['autoscale', 'deployment', 'd', '--max=5', '--min=2', '--cpu-percent=80'], true],
  [['create', 'token', 'default'], false],
  [['create', 'token', 'default', '--audience=a1', '--duration=10m', '--bound-object-kind=Pod', '--bound-object-name=p', '--bound-object-uid=123'], false],
  [['auth', 'can-i', 'get', 'pods'], false],
  [['auth', 'can-i', 'list', 'deployments.apps', '--subresource=scale', '-n', 'kube-system'], false],
  [['auth', 'can-i', 'get', '/logs'], false],
  [['auth', 'whoami'], false],
  [['certificate', 'approve', 'csr1'], false],
  [['debug', 'node/n1', '--image=busybox'], false],
];
// Expectations for commands kubectl cannot dry-run, written from the API's field semantics.
const AUTHN = 'authentication.k8s.io/v1';
const AUTHZ = 'authorization.k8s.io/v1';
const review = (spec) => ({ apiVersion: AUTHZ, kind: 'SelfSubjectAccessReview', metadata: {}, spec, status: { allowed: false } });
const HAND_WRITTEN = {
  'create token default': { apiVersion: AUTHN, kind: 'TokenRequest', metadata: {}, spec: {}, status: { token: '' } },
  'create token default --audience=a1 --duration=10m --bound-object-kind=Pod --bound-object-name=p --bound-object-uid=123': {
    apiVersion: AUTHN, kind: 'TokenRequest', metadata: {},
    spec: { audiences: ['a1'], expirationSeconds: 600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: '123' } },
    status: { token: '' },
  },
  'auth can-i get pods': review({ resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } }),
  'auth can-i list deployments.apps --subresource=scale -n kube-system': review({
    resourceAttributes: { namespace: 'kube-system', verb: 'list', group: 'apps', resource: 'deployments', subresource: 'scale' },
  }),
  'auth can-i get /logs': review({ nonResourceAttributes: { path: '/logs', verb: 'get' } }),
  'auth whoami': { apiVersion: AUTHN, kind: 'SelfSubjectReview', metadata: {}, status: { userInfo: {} } },
  // The capture server's canned CSR plus the condition kubectl adds, stamped with the time of the run.
  'certificate approve csr1': ({ now }) => ({
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'csr1' },
    spec: { request: 'AAAA', signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], username: 'bob' },
    status: { conditions: [{ type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.', lastUpdateTime: now }] },
  }),
  // kubectl's default (legacy) node-debugging pod; its name is random, so it is read from kubectl's output.
  'debug node/n1 --image=busybox': ({ output }) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: /Creating debugging pod (\S+)/.exec(output)?.[1] },
    spec: {
      volumes: [{ name: 'host-root', hostPath: { path: '/' } }],
      containers: [{ name: 'debugger', image: 'busybox', resources: {}, volumeMounts: [{ name: 'host-root', mountPath: '/host' }], terminationMessagePolicy: 'File' }],
      restartPolicy: 'Never', nodeName: 'n1', hostNetwork: true, hostPID: true, hostIPC: true, tolerations: [{ operator: 'Exists' }],
    },
    status: {},
  }),
};
const VERSIONS = { '1.33': COMMANDS, '1.32': COMMANDS.filter((_, i) => [0, 3, 5, 9, 10, 23, 25, 28, 29].includes(i)) };

// Go's JSON of an unset metav1.Time is null; the decoder omits it instead.
function dropNulls(value) {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, dropNulls(v)]));
  }
  return value;
}

async function startServer(dir) {
  const child = spawn(process.execPath, [path.join(here, 'capture-kubectl-protobuf.mjs'), dir], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return child;
}

const DRY_RUN = ['--dry-run=client', '-o', 'json'];

/** Runs one command against the capture server; returns its recorded request and its expected JSON. */
function capture(version, dir, template, dryRunnable, binFile) {
  const env = { ...process.env, KUBECONFIG: path.join(dir, 'kubeconfig.yaml') };
  const kubectl = path.join(BIN, `kubectl.${version}`);
  const args = template.map((a) => a.replace('BINFILE', binFile));
  const handWritten = HAND_WRITTEN[template.join(' ')];
  let run;
  // A computed expectation may use the time of the run: keep the run inside one second.
  for (let attempt = 0; attempt < 10 && (run === undefined || (typeof handWritten === 'function' && run.start !== run.end)); attempt++) {
    const before = new Set(fs.readdirSync(dir));
    const start = Math.floor(Date.now() / 1000);
    // Exit codes are ignored: create token fails on the echoed reply ("no token in server response").
    const result = spawnSync(kubectl, args, { env, encoding: 'utf8' });
    const captured = fs.readdirSync(dir).filter((f) => !before.has(f) && f.endsWith('.json'));
    if (captured.length !== 1) throw new Error(`kubectl ${version} ${args.join(' ')}: ${captured.length} bodies`);
    run = { start, end: Math.floor(Date.now() / 1000), file: captured[0], output: `${result.stdout}${result.stderr}` };
  }
  const rec = JSON.parse(fs.readFileSync(path.join(dir, run.file), 'utf8'));
  let expected = handWritten;
  if (dryRunnable) {
    // Flags must come before a `--` that starts the container command.
    const dash = args.indexOf('--');
    const dryArgs = dash < 0 ? [...args, ...DRY_RUN] : [...args.slice(0, dash), ...DRY_RUN, ...args.slice(dash)];
    expected = dropNulls(JSON.parse(execFileSync(kubectl, dryArgs, { env, encoding: 'utf8' })));
  } else if (typeof handWritten === 'function') {
    expected = handWritten({ now: new Date(run.start * 1000).toISOString().replace('.000Z', 'Z'), output: run.output });
  }
  if (expected === undefined) throw new Error(`no expectation for ${template.join(' ')}`);
  return { kubectl: version, args: template, path: rec.path, contentType: rec.contentType, bodyBase64: rec.bodyBase64, expected };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-fixtures-'));
const binFile = path.join(work, 'bin.dat');
fs.writeFileSync(binFile, Buffer.from([0x00, 0xff, 0x10, 0x62, 0x69, 0x6e]));
const fixtures = [];
try {
  for (const [version, commands] of Object.entries(VERSIONS)) {
    const dir = path.join(work, version);
    const server = await startServer(dir);
    try {
      for (const [template, dryRunnable] of commands) fixtures.push(capture(version, dir, template, dryRunnable, binFile));
    } finally {
      server.kill();
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
fs.writeFileSync(out, JSON.stringify(fixtures, null, 1) + '\n');
console.log(`wrote ${fixtures.length} fixtures to ${out}`);
