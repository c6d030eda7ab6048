// The acceptance list, driven with the real kubectl 1.27 and 1.33
// against `kubets server` started as a process. Tests of what both clients
// send alike (plain CRUD verbs, lists, edit) run with the newest only: each
// kubectl costs a process start, and the suite must fit CI's time.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KUBECTL_VERSIONS, startServerProcess, type KubectlVersion, type ServerProcess } from '../../testing/server-process.js';
import { waitFor } from '../../testing/wait-for.js';

let server: ServerProcess;
let seq = 0;

async function k(v: KubectlVersion, args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(v, args, { input });
  assert.equal(r.code, 0, `kubectl ${v} ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
  return r.stdout;
}

async function kFail(v: KubectlVersion, args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(v, args, { input });
  assert.notEqual(r.code, 0, `kubectl ${v} ${args.join(' ')} should have failed:\n${r.stdout}`);
  return r.stderr;
}

/** A fresh namespace per test, so tests never see each other's objects. */
async function ns(v: KubectlVersion): Promise<string> {
  const name = `e2e-${v.replace('.', '')}-${seq++}`;
  await k(v, ['create', 'namespace', name]);
  return name;
}

const deployment = (name: string, image = 'busybox', extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: app
        image: ${image}
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
${extra}`;

/** `-o name` output without the kube-root-ca.crt ConfigMap the root CA publisher keeps in every namespace. */
const withoutRootCa = (out: string) => out.split('\n').filter((l) => l !== 'configmap/kube-root-ca.crt').join('\n');

before(async () => {
  server = await startServerProcess();
});
after(async () => {
  await server?.stop();
});

const NEWEST = KUBECTL_VERSIONS[KUBECTL_VERSIONS.length - 1];

// The two versions run side by side, each in its own namespaces and with its own CRDs and files; each one's tests run in order.
describe('the real kubectl', { concurrency: true }, () => {
  for (const v of KUBECTL_VERSIONS) versionSuite(v);
});

function versionSuite(v: KubectlVersion): void {
  /**
   * A test whose requests do not differ between the two clients: run with the newest. Both run
   * what differs on the wire: protobuf or JSON bodies, OpenAPI v2 or v3 (client-side apply,
   * explain), aggregated discovery v2beta1 or v2 (CRDs), SelfSubjectReview v1beta1 or v1 (whoami).
   */
  const newestOnly = (name: string, fn: () => Promise<void>) => {
    if (v === NEWEST) it(name, fn);
  };
  // Explicit: a suite's tests would otherwise inherit the parent's concurrency.
  describe(`kubectl ${v}`, { concurrency: 1 }, () => {
    it('create -f with multi-document YAML, then get in every output format', async () => {
      const n = await ns(v);
      const out = await k(v, ['-n', n, 'create', '-f', '-'], `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm1, labels: {tier: web}}\ndata: {a: "1"}\n---\n${deployment('web')}`);
      assert.match(out, /configmap\/cm1 created/);
      assert.match(out, /deployment.apps\/web created/);
      // No nodes here: the controllers create the pods, which stay Pending.
      assert.match(await k(v, ['-n', n, 'get', 'deploy']), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/2\s+[02]\s+0\s+\d+s/m);
      assert.match(await k(v, ['-n', n, 'get', 'deploy', '-o', 'wide']), /CONTAINERS\s+IMAGES\s+SELECTOR[\s\S]*web .*app\s+busybox\s+app=web/);
      const yaml = await k(v, ['-n', n, 'get', 'cm', 'cm1', '-o', 'yaml']);
      assert.match(yaml, /^kind: ConfigMap$/m);
      assert.match(yaml, /resourceVersion: "\d+"/);
      const json = JSON.parse(await k(v, ['-n', n, 'get', 'deploy', 'web', '-o', 'json']));
      assert.equal(json.spec.template.spec.containers[0].image, 'busybox');
      assert.equal(json.metadata.generation, 1);
      // Every namespace also holds the root CA publisher's kube-root-ca.crt, as upstream.
      assert.equal(withoutRootCa(await k(v, ['-n', n, 'get', 'cm,deploy', '-o', 'name'])), 'configmap/cm1\ndeployment.apps/web\n');
      assert.equal(await k(v, ['-n', n, 'get', 'cm', 'cm1', '-o', 'jsonpath={.data.a}']), '1');
      assert.match(await k(v, ['-n', n, 'get', 'cm', '--show-labels']), /cm1\s+1\s+\S+\s+tier=web/);
      assert.match(await k(v, ['-n', n, 'get', 'cm', '-l', 'tier=web', '-o', 'name']), /^configmap\/cm1$/m);
      assert.equal(withoutRootCa(await k(v, ['-n', n, 'get', 'cm', '-l', 'tier!=web', '-o', 'name'])), '');
      assert.match(await k(v, ['get', 'cm', '-A', '--field-selector', `metadata.namespace=${n}`, '-o', 'name']), /configmap\/cm1/);
      assert.match(await k(v, ['get', 'deploy', '-A']), new RegExp(`^${n}\\s+web\\s+0/2`, 'm'));
    });

    it('get works for every served resource, with -A and -o wide', async () => {
      // Not the other version's test CRDs, which may go away between discovery and the list.
      const names = (await k(v, ['api-resources', '--verbs=list', '-o', 'name'])).trim().split('\n').filter((r) => !r.endsWith('.e2e.kubets.io'));
      for (const r of ['pods', 'services', 'deployments.apps', 'cronjobs.batch', 'endpointslices.discovery.k8s.io', 'leases.coordination.k8s.io', 'clusterroles.rbac.authorization.k8s.io', 'poddisruptionbudgets.policy', 'horizontalpodautoscalers.autoscaling', 'storageclasses.storage.k8s.io', 'priorityclasses.scheduling.k8s.io', 'ingresses.networking.k8s.io', 'customresourcedefinitions.apiextensions.k8s.io', 'persistentvolumes', 'resourcequotas', 'limitranges', 'controllerrevisions.apps', 'networkpolicies.networking.k8s.io', 'ingressclasses.networking.k8s.io', 'events.events.k8s.io']) {
        assert.ok(names.includes(r), `${r} missing from api-resources`);
      }
      const all = await k(v, ['get', names.join(','), '-A', '-o', 'wide']);
      assert.match(all, /^NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR$/m);
      assert.match(all, /^\s+namespace\/kube-system\s+Active\s+\d+/m, 'namespaces table');
      assert.match(all, /^default\s+service\/kubernetes\s+ClusterIP\s+10\.43\.0\.1\s+/m);
    });

    newestOnly('events.k8s.io/v1 and core/v1 Events are one object seen two ways', async () => {
      const n = await ns(v);
      await k(v, ['-n', n, 'create', '-f', '-'], `apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: ev1}
eventTime: "2026-11-25T16:00:00.000000Z"
reportingController: e2e/test
reportingInstance: e2e
action: Testing
reason: Probe
note: hello
type: Normal
regarding: {kind: Pod, name: p1, namespace: ${n}}
`);
      assert.equal(await k(v, ['-n', n, 'get', 'events.v1.', 'ev1', '-o', 'jsonpath={.message}/{.involvedObject.name}/{.reportingComponent}']), 'hello/p1/e2e/test');
      assert.equal(await k(v, ['-n', n, 'get', 'events.v1.events.k8s.io', 'ev1', '-o', 'jsonpath={.note}/{.regarding.name}']), 'hello/p1');
      await k(v, ['-n', n, 'patch', 'events.v1.events.k8s.io', 'ev1', '--type=merge', '-p', '{"note":"changed"}']);
      assert.equal(await k(v, ['-n', n, 'get', 'events.v1.', 'ev1', '-o', 'jsonpath={.message}']), 'changed');
      assert.match(await k(v, ['-n', n, 'get', 'events']), /Normal\s+Probe\s+pod\/p1\s+changed/);
    });

    newestOnly('autoscaling/v1 and v2 HorizontalPodAutoscalers are one object seen two ways', async () => {
      const n = await ns(v);
      await k(v, ['-n', n, 'create', '-f', '-'], 'apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: h1}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 5\n  targetCPUUtilizationPercentage: 70\n');
      assert.equal(await k(v, ['-n', n, 'get', 'horizontalpodautoscalers.v2.autoscaling', 'h1', '-o', 'jsonpath={.spec.metrics[0].resource.target.averageUtilization}']), '70');
      assert.equal(await k(v, ['-n', n, 'get', 'horizontalpodautoscalers.v1.autoscaling', 'h1', '-o', 'jsonpath={.spec.targetCPUUtilizationPercentage}']), '70');
      assert.match(await k(v, ['-n', n, 'get', 'hpa']), /h1\s+Deployment\/web\s+cpu: <unknown>\/70%\s+1\s+5/);
    });

    newestOnly('get --chunk-size pages through a long list', async () => {
      const n = await ns(v);
      for (let i = 0; i < 7; i++) await k(v, ['-n', n, 'create', 'configmap', `c${i}`, '--from-literal=k=v']);
      const out = withoutRootCa(await k(v, ['-n', n, 'get', 'cm', '--chunk-size=2', '-o', 'name']));
      assert.equal(out.trim().split('\n').length, 7);
      const verbose = await server.kubectl(v, ['-n', n, 'get', 'cm', '--chunk-size=3', '-v=6']);
      assert.match(verbose.stderr, /continue=/);
    });

    newestOnly('get -w delivers watch events', async () => {
      const n = await ns(v);
      await k(v, ['-n', n, 'create', 'configmap', 'listed', '--from-literal=a=b']);
      // kubectl lists, prints, then watches from the list's resourceVersion: what is created after the print comes by the watch.
      const watch = await server.streamKubectl(v, ['-n', n, 'get', 'cm', '-w', '-o', 'name'], /configmap\/listed/);
      try {
        await k(v, ['-n', n, 'create', 'configmap', 'watched', '--from-literal=a=b']);
        await watch.until(/configmap\/watched/);
      } finally {
        watch.stop();
      }
    });

    newestOnly('create generators: namespace, configmap, secret, deployment, service, job, token', async () => {
      const n = await ns(v);
      await k(v, ['-n', n, 'create', 'configmap', 'cfg', '--from-literal=a=b']);
      await k(v, ['-n', n, 'create', 'secret', 'generic', 'sec', '--from-literal=password=s3cret']);
      await k(v, ['-n', n, 'create', 'deployment', 'dep', '--image=busybox', '--replicas=3']);
      await k(v, ['-n', n, 'create', 'service', 'clusterip', 'svc', '--tcp=80:8080']);
      await k(v, ['-n', n, 'create', 'job', 'job1', '--image=busybox', '--', 'echo', 'hi']);
      assert.equal(Buffer.from(await k(v, ['-n', n, 'get', 'secret', 'sec', '-o', 'jsonpath={.data.password}']), 'base64').toString(), 's3cret');
      assert.equal(await k(v, ['-n', n, 'get', 'deploy', 'dep', '-o', 'jsonpath={.spec.replicas}']), '3');
      const svc = await k(v, ['-n', n, 'get', 'svc', 'svc']);
      assert.match(svc, /svc\s+ClusterIP\s+10\.43\.\d+\.\d+\s+<none>\s+80\/TCP/);
      assert.match(await k(v, ['-n', n, 'get', 'job', 'job1', '-o', 'jsonpath={.spec.template.spec.containers[0].command}']), /echo/);
      const token = (await k(v, ['-n', n, 'create', 'token', 'default'])).trim();
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
      assert.equal(claims.sub, `system:serviceaccount:${n}:default`);
      // The token authenticates.
      const tokenConfig = path.join(server.dataDir, `token-${v}.yaml`);
      fs.writeFileSync(tokenConfig, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server.url}", certificate-authority: "${path.join(server.dataDir, 'pki/ca.crt')}"}}]\nusers: [{name: u, user: {token: "${token}"}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`);
      const who = await server.kubectl(v, ['--kubeconfig', tokenConfig, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
      assert.equal(who.stdout, `system:serviceaccount:${n}:default`, who.stderr);
    });

    it('client-side apply: create, change, remove a list element, unchanged', async () => {
      const n = await ns(v);
      const file = path.join(server.dataDir, `apply-${v}.yaml`);
      fs.writeFileSync(file, deployment('app'));
      assert.match(await k(v, ['-n', n, 'apply', '-f', file]), /deployment.apps\/app created/);
      assert.match(await k(v, ['-n', n, 'apply', '-f', file]), /deployment.apps\/app unchanged/);
      fs.writeFileSync(file, deployment('app').replace('        - {name: B, value: "2"}\n', '').replace('image: busybox', 'image: busybox:1.36'));
      assert.match(await k(v, ['-n', n, 'apply', '-f', file]), /deployment.apps\/app configured/);
      const c = JSON.parse(await k(v, ['-n', n, 'get', 'deploy', 'app', '-o', 'jsonpath={.spec.template.spec.containers[0]}']));
      assert.deepEqual(c.env, [{ name: 'A', value: '1' }]);
      assert.equal(c.image, 'busybox:1.36');
      assert.equal(await k(v, ['-n', n, 'get', 'deploy', 'app', '-o', 'jsonpath={.metadata.generation}']), '2');
      fs.writeFileSync(file, deployment('app').replace('        env:', '      - name: side\n        image: busybox\n        env:'));
      await k(v, ['-n', n, 'apply', '-f', file]);
      assert.equal(await k(v, ['-n', n, 'get', 'deploy', 'app', '-o', 'jsonpath={.spec.template.spec.containers[*].name}']), 'app side');
      fs.writeFileSync(file, deployment('app'));
      await k(v, ['-n', n, 'apply', '-f', file]);
      assert.equal(await k(v, ['-n', n, 'get', 'deploy', 'app', '-o', 'jsonpath={.spec.template.spec.containers[*].name}']), 'app');
    });

    newestOnly('diff, patch (json, merge, strategic), label, annotate, scale, replace, set image, rollout restart', async () => {
      const n = await ns(v);
      await k(v, ['-n', n, 'apply', '-f', '-'], deployment('d'));
      const diff = await server.kubectl(v, ['-n', n, 'diff', '-f', '-'], { input: deployment('d', 'nginx') });
      assert.equal(diff.code, 1, diff.stderr);
      assert.match(diff.stdout, /-\s+image: busybox\n\+\s+image: nginx/);
      await k(v, ['-n', n, 'patch', 'deploy', 'd', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]']);
      await k(v, ['-n', n, 'patch', 'deploy', 'd', '--type=merge', '-p', '{"metadata":{"labels":{"patched":"merge"}}}']);
      await k(v, ['-n', n, 'patch', 'deploy', 'd', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"busybox:2"}]}}}}']);
      const d = JSON.parse(await k(v, ['-n', n, 'get', 'deploy', 'd', '-o', 'json']));
      assert.equal(d.spec.replicas, 4);
      assert.equal(d.metadata.labels.patched, 'merge');
      assert.equal(d.spec.template.spec.containers[0].image, 'busybox:2');
      assert.equal(d.spec.template.spec.containers[0].env.length, 2, 'strategic merge keeps the env list');
      await k(v, ['-n', n, 'label', 'deploy', 'd', 'team=blue']);
      await k(v, ['-n', n, 'annotate', 'deploy', 'd', 'note=hello']);
      assert.match(await k(v, ['-n', n, 'scale', 'deploy', 'd', '--replicas=5']), /scaled/);
      await k(v, ['-n', n, 'set', 'image', 'deploy/d', 'app=busybox:3']);
      await k(v, ['-n', n, 'rollout', 'restart', 'deploy/d']);
      const d2 = JSON.parse(await k(v, ['-n', n, 'get', 'deploy', 'd', '-o', 'json']));
      assert.equal(d2.metadata.labels.team, 'blue');
      assert.equal(d2.metadata.annotations.note, 'hello');
      assert.equal(d2.spec.replicas, 5);
      assert.equal(d2.spec.template.spec.containers[0].image, 'busybox:3');
      assert.match(d2.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], /^\d{4}-\d\d-\d\dT/);
      // replace sends the resourceVersion it read; the controllers may write status in between, so retry on conflict.
      for (let attempt = 0; ; attempt++) {
        const fresh = JSON.parse(await k(v, ['-n', n, 'get', 'deploy', 'd', '-o', 'json']));
        fresh.spec.replicas = 1;
        const r = await server.kubectl(v, ['-n', n, 'replace', '-f', '-'], { input: JSON.stringify(fresh) });
        if (r.code === 0) break;
        assert.match(r.stderr, /the object has been modified/);
        assert.ok(attempt < 10, 'replace kept conflicting');
      }
      assert.equal(await k(v, ['-n', n, 'get', 'deploy', 'd', '-o', 'jsonpath={.spec.replicas}']), '1');
      // A stale resourceVersion conflicts.
      const err = await kFail(v, ['-n', n, 'replace', '-f', '-'], JSON.stringify(d2));
      assert.match(err, /Conflict|the object has been modified/);
    });

    it('apply --server-side: create, conflict with another manager, --force-conflicts', async () => {
      const n = await ns(v);
      assert.match(await k(v, ['-n', n, 'apply', '--server-side', '-f', '-'], deployment('ssa')), /deployment.apps\/ssa serverside-applied/);
      const fields = JSON.parse(await k(v, ['-n', n, 'get', 'deploy', 'ssa', '-o', 'jsonpath={.metadata.managedFields}', '--show-managed-fields']));
      assert.equal(fields[0].manager, 'kubectl');
      assert.equal(fields[0].operation, 'Apply');
      assert.ok(fields[0].fieldsV1['f:spec']['f:replicas']);
      await k(v, ['-n', n, 'patch', 'deploy', 'ssa', '--type=merge', '-p', '{"spec":{"replicas":5}}']);
      const conflict = await kFail(v, ['-n', n, 'apply', '--server-side', '-f', '-'], deployment('ssa'));
      assert.match(conflict, /Apply failed with 1 conflict: conflict with "kubectl-patch"( using apps\/v1)?: \.spec\.replicas/);
      assert.equal(await k(v, ['-n', n, 'get', 'deploy', 'ssa', '-o', 'jsonpath={.spec.replicas}']), '5');
      await k(v, ['-n', n, 'apply', '--server-side', '--force-conflicts', '-f', '-'], deployment('ssa'));
      assert.equal(await k(v, ['-n', n, 'get', 'deploy', 'ssa', '-o', 'jsonpath={.spec.replicas}']), '2');
    });

    newestOnly('edit with a scripted EDITOR', async () => {
      const n = await ns(v);
      await k(v, ['-n', n, 'create', 'configmap', 'ed', '--from-literal=key=old']);
      const editor = path.join(server.dataDir, 'editor.sh');
      fs.writeFileSync(editor, '#!/bin/sh\nsed -i "s/key: old/key: new/" "$1"\n', { mode: 0o755 });
      const r = await server.kubectl(v, ['-n', n, 'edit', 'cm', 'ed'], { env: { ...process.env, KUBECONFIG: server.kubeconfig, HOME: server.dataDir, EDITOR: editor, KUBE_EDITOR: editor } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /configmap\/ed edited/);
      assert.equal(await k(v, ['-n', n, 'get', 'cm', 'ed', '-o', 'jsonpath={.data.key}']), 'new');
    });

    newestOnly('delete by name, -l, --all, -f, --cascade and --grace-period', async () => {
      const n = await ns(v);
      for (const name of ['a', 'b', 'c', 'd']) await k(v, ['-n', n, 'create', 'configmap', name, '--from-literal=x=y']);
      await k(v, ['-n', n, 'label', 'cm', 'b', 'del=yes']);
      assert.match(await k(v, ['-n', n, 'delete', 'cm', 'a']), /configmap "a" deleted/);
      assert.match(await k(v, ['-n', n, 'delete', 'cm', '-l', 'del=yes']), /configmap "b" deleted/);
      const file = path.join(server.dataDir, `del-${v}.yaml`);
      fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
      assert.match(await k(v, ['-n', n, 'delete', '-f', file]), /configmap "c" deleted/);
      await k(v, ['-n', n, 'apply', '-f', '-'], deployment('orph'));
      // Orphan deletion: the garbage collector removes the owner and leaves its ReplicaSet, unowned.
      const rs = async () => JSON.parse(await k(v, ['-n', n, 'get', 'rs', '-l', 'app=orph', '-o', 'json'])).items as { metadata: { ownerReferences?: unknown[] } }[];
      await waitFor(async () => (await rs()).length === 1, 20_000, 'the ReplicaSet of orph');
      assert.match(await k(v, ['-n', n, 'delete', 'deploy', 'orph', '--cascade=orphan']), /deleted/);
      const left = await rs();
      assert.equal(left.length, 1);
      assert.equal(left[0]!.metadata.ownerReferences, undefined);
      await k(v, ['-n', n, 'delete', 'rs', '-l', 'app=orph']);
      await k(v, ['-n', n, 'run', 'p', '--image=busybox']);
      assert.match(await k(v, ['-n', n, 'delete', 'pod', 'p', '--grace-period=0', '--force']), /pod "p" force deleted/);
      assert.match(await k(v, ['-n', n, 'delete', 'cm', '--all']), /configmap "d" deleted/);
      await waitFor(async () => withoutRootCa(await k(v, ['-n', n, 'get', 'cm,deploy,rs,pods', '-o', 'name'])).trim() === '', 20_000, 'an empty namespace');
      assert.match(await kFail(v, ['-n', n, 'delete', 'cm', 'nope']), /NotFound.*configmaps "nope" not found/);
    });

    it('wait --for=condition and --for=delete; auth whoami and can-i', async () => {
      const n = await ns(v);
      const crd = crdYaml(`waits${v.replace('.', '')}`);
      await k(v, ['apply', '-f', '-'], crd);
      assert.match(await k(v, ['wait', '--for=condition=Established', `crd/waits${v.replace('.', '')}.e2e.kubets.io`, '--timeout=20s']), /condition met/);
      await k(v, ['-n', n, 'create', 'configmap', 'gone', '--from-literal=a=b']);
      // -v=6 logs each request once its response headers arrive (1.33 as key=value pairs): the watch has started then.
      const waiting = await server.streamKubectl(v, ['-v=6', '-n', n, 'wait', '--for=delete', 'cm/gone', '--timeout=20s'], /configmaps\?[^\s"]*watch=true[^\s"]*"? (status=")?200 OK/, { from: 'stderr' });
      await k(v, ['-n', n, 'delete', 'cm', 'gone']);
      assert.equal(await waiting.exited, 0, waiting.out());
      assert.match(await k(v, ['auth', 'can-i', 'create', 'deployments', '-n', n]), /^yes$/m);
      if (v !== '1.27') assert.match(await k(v, ['auth', 'whoami']), /system:admin[\s\S]*system:masters/);
      else assert.match(await k(v, ['auth', 'whoami']), /system:admin/);
    });

    it('describe, explain, api-resources, api-versions, version, cluster-info, get --raw /metrics', async () => {
      const n = await ns(v);
      await k(v, ['-n', n, 'apply', '-f', '-'], deployment('desc'));
      const d = await k(v, ['-n', n, 'describe', 'deploy', 'desc']);
      assert.match(d, /^Name:\s+desc$/m);
      assert.match(d, /Replicas:\s+2 desired/);
      assert.match(await k(v, ['explain', 'pod.spec.containers']), /FIELD:\s+containers <\[\]Container>|RESOURCE:\s+containers/);
      const res = await k(v, ['api-resources']);
      assert.match(res, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      assert.match(res, /^customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io\/v1\s+false\s+CustomResourceDefinition$/m);
      assert.match(await k(v, ['api-versions']), /^apps\/v1$/m);
      assert.match(await k(v, ['version']), /Server Version: (version\.Info\{.*GitVersion:")?v1\.33\.0\+kubets/);
      // kubectl 1.27 colours this output even without a terminal.
      const info = (await k(v, ['cluster-info'])).replace(/\x1b\[[0-9;]*m/g, '');
      assert.match(info, /Kubernetes control plane is running at https:\/\/127\.0\.0\.1:\d+/);
      const metrics = await k(v, ['get', '--raw', '/metrics']);
      assert.match(metrics, /^apiserver_request_total\{verb="GET",resource="deployments",subresource="",code="200"\} \d+/m);
    });

    it('CRDs: create, then get and apply custom resources with printer columns', async () => {
      const n = await ns(v);
      const plural = `widgets${v.replace('.', '')}`;
      await k(v, ['apply', '-f', '-'], crdYaml(plural));
      await k(v, ['wait', '--for=condition=Established', `crd/${plural}.e2e.kubets.io`, '--timeout=20s']);
      const cr = (size: number) => `apiVersion: e2e.kubets.io/v1\nkind: ${kindOf(plural)}\nmetadata: {name: w1}\nspec: {size: ${size}, color: blue}\n`;
      assert.match(await k(v, ['-n', n, 'apply', '-f', '-'], cr(3)), /created/);
      assert.match(await k(v, ['-n', n, 'get', plural]), /^NAME\s+SIZE\s+COLOR\s+AGE\nw1\s+3\s+blue\s+\d+s$/m);
      assert.match(await k(v, ['-n', n, 'apply', '-f', '-'], cr(4)), /configured/);
      assert.equal(await k(v, ['-n', n, 'get', plural, 'w1', '-o', 'jsonpath={.spec.size}']), '4');
      const bad = await kFail(v, ['-n', n, 'apply', '-f', '-'], cr(100).replace('w1', 'w2'));
      assert.match(bad, /spec.size: Invalid value: 100: spec.size in body should be less than or equal to 10/);
      assert.match(await k(v, ['-n', n, 'scale', plural, 'w1', '--replicas=7']), /scaled/);
      assert.equal(await k(v, ['-n', n, 'get', plural, 'w1', '-o', 'jsonpath={.spec.size}']), '7');
      await k(v, ['delete', 'crd', `${plural}.e2e.kubets.io`]);
    });
  });
}

function kindOf(plural: string): string {
  return `W${plural.slice(1, -1)}`;
}

function crdYaml(plural: string): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.e2e.kubets.io
spec:
  group: e2e.kubets.io
  scope: Namespaced
  names: {plural: ${plural}, singular: ${plural.slice(0, -1)}, kind: ${kindOf(plural)}}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.size, statusReplicasPath: .status.size}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Color, type: string, jsonPath: .spec.color}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer, minimum: 1, maximum: 10}
              color: {type: string}
          status:
            type: object
            properties:
              size: {type: integer}
`;
}
