// Issue 4's acceptance, end to end: `kubets server` with simulated nodes
// (controllers, scheduler and KWOK-like nodes in one process), driven by the
// real kubectl; our client only watches to check what kubectl cannot show.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../client/client.js';
import type { KubeObject } from '../../api/meta.js';
import { KUBETS_BIN, startServerProcess, type ServerProcess } from '../../testing/server-process.js';
import { scaled, scaledSeconds } from '../../testing/time-scale.js';
import { waitFor } from '../../testing/wait-for.js';

let server: ServerProcess;
let client: KubeClient;
const extra: ChildProcess[] = [];

async function k(args: string[], input?: string, v: '1.27' | '1.33' = '1.33'): Promise<string> {
  const r = await server.kubectl(v, args, { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

type Pod = KubeObject & { spec?: { nodeName?: string }; status?: { phase?: string; conditions?: { type: string; status: string }[] } };
const pods = async (ns: string, selector: string) => (await client.pods.list(ns, { labelSelector: selector })).items as Pod[];
const running = (ps: Pod[]) => ps.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);

/** A `kubets sim` process with its own nodes; returns its control file. */
function simProcess(prefix: string, nodes: number): { control: string; child: ChildProcess } {
  const control = path.join(server.dataDir, `${prefix}control.json`);
  fs.writeFileSync(control, '{"stopped":[]}');
  const child = spawn(process.execPath, [KUBETS_BIN, 'sim', '--kubeconfig', server.kubeconfig, '--nodes', String(nodes), '--name-prefix', prefix, '--control-file', control, '--lease-period', `${scaledSeconds(1)}s`], { stdio: 'ignore' });
  extra.push(child);
  return { control, child };
}

/** Waits (through the API: a kubectl per poll costs a process start) until an event matches. */
const eventSeen = (ns: string, fieldSelector: string) =>
  waitFor(async () => (await client.events.list(ns, { fieldSelector })).items.length > 0, 30_000, `an event ${fieldSelector} in ${ns}`);

const CRON_NS = 'cron';

before(async () => {
  // Short grace periods keep the heartbeat test quick; a slow host stretches them, or its late heartbeats would look like dead nodes.
  server = await startServerProcess({ args: ['--simulate-nodes', '3', '--node-monitor-grace-period', String(scaledSeconds(4)), '--default-toleration-seconds', String(scaledSeconds(3))] });
  client = KubeClient.fromKubeconfig(server.kubeconfig, { component: 'e2e' });
  await waitFor(async () => (await client.nodes.list()).items.length >= 3, 20_000, 'three simulated nodes');
  // The CronJob runs for the whole suite; its test at the end checks it made Jobs.
  await k(['create', 'namespace', CRON_NS]);
  await k(['-n', CRON_NS, 'create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/1 * * * *', '--', 'true']);
});

after(async () => {
  for (const c of extra) if (c.exitCode === null) c.kill('SIGKILL');
  client?.close();
  await server?.stop();
});

describe('controllers and scheduler on simulated nodes, with kubectl', () => {
  it('a deployment reaches 3 Running replicas; set image rolls within surge/unavailable; undo; scale to 10; delete cascades', async () => {
    await k(['create', 'namespace', 'dep']);
    await k(['-n', 'dep', 'create', 'deployment', 'web', '--image=busybox:1', '--replicas=3']);
    assert.match(await k(['-n', 'dep', 'rollout', 'status', 'deploy/web', '--timeout=60s']), /successfully rolled out/);
    assert.equal(running(await pods('dep', 'app=web')).length, 3);
    // Watch every pod while kubectl rolls out a new image: maxSurge 25% → 1 extra, maxUnavailable 25% → 0 down.
    let maxPods = 0;
    let minAvailable = Infinity;
    const live = new Map<string, Pod>();
    const initial = await client.pods.list('dep', { labelSelector: 'app=web' });
    for (const p of initial.items as Pod[]) live.set(p.metadata.name!, p);
    const watch = await client.pods.watch('dep', { labelSelector: 'app=web', resourceVersion: initial.resourceVersion }, (e) => {
      const p = e.object as Pod;
      if (e.type === 'DELETED') live.delete(p.metadata.name!);
      else live.set(p.metadata.name!, p);
      const present = [...live.values()].filter((x) => !x.metadata.deletionTimestamp);
      maxPods = Math.max(maxPods, present.length);
      minAvailable = Math.min(minAvailable, present.filter((x) => x.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length);
    });
    await k(['-n', 'dep', 'set', 'image', 'deploy/web', 'busybox=busybox:2']);
    assert.match(await k(['-n', 'dep', 'rollout', 'status', 'deploy/web', '--timeout=60s']), /successfully rolled out/);
    await waitFor(async () => running(await pods('dep', 'app=web')).length === 3 && (await pods('dep', 'app=web')).length === 3, 30_000, 'old pods gone');
    watch.stop();
    assert.ok(maxPods <= 4, `at most 3 + maxSurge 1 pods at once, saw ${maxPods}`);
    assert.ok(minAvailable >= 3, `never fewer than 3 - maxUnavailable 0 ready, saw ${minAvailable}`);
    assert.ok(maxPods === 4, `the rollout used its surge pod, saw at most ${maxPods}`);
    assert.match(await k(['-n', 'dep', 'rollout', 'history', 'deploy/web']), /^1\s+<none>\n2\s+<none>$/m);
    await k(['-n', 'dep', 'rollout', 'undo', 'deploy/web']);
    await k(['-n', 'dep', 'rollout', 'status', 'deploy/web', '--timeout=60s']);
    assert.equal(await k(['-n', 'dep', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'busybox:1');
    await k(['-n', 'dep', 'scale', 'deploy/web', '--replicas=10']);
    await waitFor(async () => running(await pods('dep', 'app=web')).length === 10, 60_000, '10 Running replicas');
    // The Deployment's status follows its pods asynchronously (through the ReplicaSet's).
    await waitFor(async () => {
      const st = (await client.deployments.get('dep', 'web')).status;
      return st?.readyReplicas === 10 && st.updatedReplicas === 10 && st.availableReplicas === 10;
    }, 30_000, 'deployment web at 10/10');
    assert.match(await k(['-n', 'dep', 'get', 'deploy', 'web']), /web\s+10\/10\s+10\s+10/);
    await k(['-n', 'dep', 'delete', 'deploy', 'web']);
    await waitFor(async () => (await pods('dep', 'app=web')).length === 0 && (await client.replicasets.list('dep')).items.length === 0, 60_000, 'cascading delete');
  });

  it('a StatefulSet creates web-0..2 in order', async () => {
    await k(['create', 'namespace', 'sts']);
    const created: string[] = [];
    const watch = await client.pods.watch('sts', {}, (e) => {
      if (e.type === 'ADDED') created.push((e.object as Pod).metadata.name!);
    });
    await k(['-n', 'sts', 'apply', '-f', '-'], `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: busybox}]}
`);
    assert.match(await k(['-n', 'sts', 'rollout', 'status', 'sts/web', '--timeout=60s']), /3 pods at revision|roll out complete|partitioned roll out complete/);
    watch.stop();
    assert.deepEqual(created, ['web-0', 'web-1', 'web-2']);
  });

  it('a DaemonSet covers every node, including one added later', async () => {
    await k(['create', 'namespace', 'ds']);
    await k(['-n', 'ds', 'apply', '-f', '-'], `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: c, image: busybox}]}
`);
    const nodesNow = async () => (await client.nodes.list()).items.map((n) => n.metadata.name!).sort();
    const covered = async (): Promise<string[] | undefined> => {
      const on = running(await pods('ds', 'app=agent')).map((p) => p.spec!.nodeName!).sort();
      return JSON.stringify(on) === JSON.stringify(await nodesNow()) ? on : undefined;
    };
    await waitFor(covered, 60_000, 'a daemon pod on every node');
    simProcess('late-', 1);
    await waitFor(async () => (await nodesNow()).includes('late-0'), 30_000, 'the late node');
    const on = await waitFor(covered, 60_000, 'a daemon pod on the late node too');
    assert.ok(on.includes('late-0'));
    assert.match(await k(['-n', 'ds', 'get', 'ds', 'agent']), new RegExp(`agent\\s+${on.length}\\s+${on.length}\\s+${on.length}`));
  });

  it('a Job with completions=5 and parallelism=2 finishes with Complete', async () => {
    await k(['create', 'namespace', 'job']);
    let maxActive = 0;
    const watch = await client.pods.watch('job', {}, () => {});
    await k(['-n', 'job', 'apply', '-f', '-'], `apiVersion: batch/v1
kind: Job
metadata: {name: five}
spec:
  completions: 5
  parallelism: 2
  template:
    metadata: {annotations: {sim.kubets.io/complete-after: 300ms}}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox, command: ["true"]}]
`);
    const poll = setInterval(() => {
      void pods('job', 'batch.kubernetes.io/job-name=five').then((ps) => {
        maxActive = Math.max(maxActive, ps.filter((p) => p.status?.phase === 'Running' || p.status?.phase === 'Pending').length);
      });
    }, 50);
    assert.match(await k(['-n', 'job', 'wait', '--for=condition=Complete', 'job/five', '--timeout=90s']), /condition met/);
    clearInterval(poll);
    watch.stop();
    assert.equal(await k(['-n', 'job', 'get', 'job', 'five', '-o', 'jsonpath={.status.succeeded}']), '5');
    assert.ok(maxActive <= 2, `parallelism 2, saw ${maxActive} active`);
    assert.match(await k(['-n', 'job', 'get', 'job', 'five'], undefined, '1.27'), /five\s+(Complete\s+)?5\/5/);
  });

  it('affinity, anti-affinity, taints and topology spread place pods as upstream', async () => {
    await k(['create', 'namespace', 'place']);
    await k(['label', 'node', 'sim-node-0', 'zone=a', 'disk=ssd', '--overwrite']);
    await k(['label', 'node', 'sim-node-1', 'zone=b', '--overwrite']);
    await k(['label', 'node', 'sim-node-2', 'zone=b', '--overwrite']);
    await k(['taint', 'node', 'sim-node-2', 'dedicated=db:NoSchedule', '--overwrite']);
    const pod = (name: string, spec: string, labels = '{app: place}') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: ${labels}}
spec:
  containers: [{name: c, image: busybox}]
${spec}`;
    const nodeOf = async (name: string) => waitFor(async () => (await client.pods.get('place', name)).spec?.nodeName, 30_000, `${name} scheduled`);
    // Required node affinity.
    await k(['-n', 'place', 'apply', '-f', '-'], pod('ssd', `  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: disk, operator: In, values: [ssd]}]}]}}}`));
    assert.equal(await nodeOf('ssd'), 'sim-node-0');
    // A toleration lets a pod onto the tainted node, which untolerating pods never get.
    await k(['-n', 'place', 'apply', '-f', '-'], pod('db', `  tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoSchedule}]\n  nodeSelector: {kubernetes.io/hostname: sim-node-2}`));
    assert.equal(await nodeOf('db'), 'sim-node-2');
    // Required pod anti-affinity by hostname, among the zoned nodes: two untainted ones, so the third pod cannot fit.
    for (const n of ['anti-0', 'anti-1', 'anti-2']) {
      await k(['-n', 'place', 'apply', '-f', '-'], pod(n, `  affinity:
    nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: Exists}]}]}}
    podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {role: anti}}, topologyKey: kubernetes.io/hostname}]}`, '{role: anti}'));
    }
    const placed = new Set([await nodeOf('anti-0'), await nodeOf('anti-1')]);
    assert.equal(placed.size, 2);
    assert.ok(!placed.has('sim-node-2'), 'the taint keeps untolerating pods off sim-node-2');
    await eventSeen('place', 'involvedObject.name=anti-2,reason=FailedScheduling');
    const event = await k(['-n', 'place', 'get', 'events', '--field-selector', 'involvedObject.name=anti-2,reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}']);
    assert.match(event, /^0\/\d+ nodes are available: /);
    assert.match(event, /1 node\(s\) had untolerated taint \{dedicated: db\}/);
    assert.match(event, /2 node\(s\) didn't match pod anti-affinity rules/);
    assert.match(event, /preemption: /);
    // Pod affinity: lands with its partner.
    await k(['-n', 'place', 'apply', '-f', '-'], pod('buddy', `  affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: place}}, topologyKey: kubernetes.io/hostname}]}}`, '{other: x}'));
    assert.ok(['sim-node-0', 'sim-node-2'].includes(await nodeOf('buddy')));
    // Topology spread over zones a and b, skew 1.
    for (let i = 0; i < 4; i++) {
      await k(['-n', 'place', 'apply', '-f', '-'], pod(`spread-${i}`, `  topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {group: spread}}}]`, '{group: spread}'));
      await nodeOf(`spread-${i}`);
    }
    const zones = { a: 0, b: 0 };
    for (let i = 0; i < 4; i++) zones[(await client.pods.get('place', `spread-${i}`)).spec!.nodeName === 'sim-node-0' ? 'a' : 'b']++;
    assert.deepEqual(zones, { a: 2, b: 2 });
  });

  it('an oversized pod stays Pending with the upstream-style event', async () => {
    await k(['create', 'namespace', 'big']);
    await k(['-n', 'big', 'run', 'huge', '--image=busybox', '--overrides={"spec":{"containers":[{"name":"huge","image":"busybox","resources":{"requests":{"cpu":"500"}}}]}}']);
    await eventSeen('big', 'reason=FailedScheduling');
    const msg = await k(['-n', 'big', 'get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}']);
    assert.match(msg, /^0\/\d+ nodes are available: .*\d+ Insufficient cpu\. preemption: /);
    assert.match(await k(['-n', 'big', 'get', 'pod', 'huge']), /huge\s+0\/1\s+Pending/);
    assert.match(await k(['-n', 'big', 'describe', 'pod', 'huge']), /FailedScheduling/);
  });

  it('a node whose heartbeat stops goes NotReady, is tainted, and its pods are recreated elsewhere', async () => {
    const { control } = simProcess('frail-', 1);
    await waitFor(async () => (await client.nodes.list()).items.some((n) => n.metadata.name === 'frail-0'), 30_000, 'frail-0');
    await k(['create', 'namespace', 'fail']);
    await k(['-n', 'fail', 'apply', '-f', '-'], `apiVersion: apps/v1
kind: Deployment
metadata: {name: pinned}
spec:
  replicas: 1
  selector: {matchLabels: {app: pinned}}
  template:
    metadata: {labels: {app: pinned}}
    spec:
      affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 100, preference: {matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [frail-0]}]}}]}}
      containers: [{name: c, image: busybox}]
`);
    const first = await waitFor(async () => running(await pods('fail', 'app=pinned')).find((p) => p.spec?.nodeName === 'frail-0'), 60_000, 'the pod on frail-0');
    fs.writeFileSync(control, '{"stopped":["frail-0"]}');
    await waitFor(async () => (await client.nodes.get(undefined, 'frail-0')).status?.conditions?.some((c) => c.type === 'Ready' && c.status !== 'True'), 30_000, 'frail-0 NotReady');
    assert.match(await k(['get', 'node', 'frail-0']), /frail-0\s+NotReady/);
    const taints = await k(['get', 'node', 'frail-0', '-o', 'jsonpath={.spec.taints[*].key}']);
    assert.match(taints, /node\.kubernetes\.io\/unreachable/);
    const replacement = await waitFor(async () => running(await pods('fail', 'app=pinned')).find((p) => p.metadata.uid !== first.metadata.uid && p.spec?.nodeName !== 'frail-0'), 60_000, 'a replacement elsewhere');
    assert.notEqual(replacement.spec?.nodeName, 'frail-0');
  });

  it('deleting a namespace empties it', async () => {
    await k(['create', 'namespace', 'gone']);
    await k(['-n', 'gone', 'create', 'deployment', 'd', '--image=busybox', '--replicas=2']);
    await k(['-n', 'gone', 'create', 'configmap', 'c', '--from-literal=a=b']);
    await waitFor(async () => running(await pods('gone', 'app=d')).length === 2, 60_000, 'pods in gone');
    await k(['delete', 'namespace', 'gone', '--timeout=60s']);
    const r = await server.kubectl('1.33', ['get', 'namespace', 'gone']);
    assert.match(r.stderr, /NotFound/);
    assert.equal((await client.pods.list('gone')).items.length, 0);
  });

  it('a CronJob */1 creates Jobs', async () => {
    const job = await waitFor(async () => (await client.jobs.list(CRON_NS)).items[0], 90_000, 'a Job from the CronJob');
    assert.match(job.metadata.name!, /^tick-\d+$/);
    assert.match(await k(['-n', CRON_NS, 'get', 'cronjob', 'tick']), /tick\s+\*\/1 \* \* \* \*\s+(<none>\s+)?False\s+\d+\s+\S+/);
  });
});

describe('scheduler leader election', () => {
  it('killing the leader scheduler hands over to the standby', async () => {
    const own = await startServerProcess({ args: ['--simulate-nodes', '1', '--disable-scheduler'] });
    const c = KubeClient.fromKubeconfig(own.kubeconfig, { component: 'e2e' });
    const schedulers: ChildProcess[] = [];
    const startScheduler = () => {
      const child = spawn(process.execPath, [KUBETS_BIN, 'scheduler', '--kubeconfig', own.kubeconfig], { stdio: 'ignore' });
      schedulers.push(child);
      return child;
    };
    const holder = async () => {
      try {
        return (await c.leases.get('kube-system', 'kube-scheduler')).spec?.holderIdentity as string | undefined;
      } catch {
        return undefined;
      }
    };
    try {
      const leader = startScheduler();
      const first = await waitFor(holder, 20_000, 'a scheduler leader');
      startScheduler();
      const bound = (name: string) => waitFor(async () => (await c.pods.get('default', name)).spec?.nodeName, 30_000, `${name} bound`);
      await own.kubectl('1.33', ['run', 'before', '--image=busybox']);
      await bound('before');
      leader.kill('SIGKILL');
      await own.kubectl('1.33', ['run', 'after', '--image=busybox']);
      const t0 = Date.now();
      assert.equal(await bound('after'), 'sim-node-0');
      assert.ok(Date.now() - t0 < scaled(20_000), `the standby took over in ${Date.now() - t0} ms`);
      const second = await holder();
      assert.ok(second && second !== first, `the lease moved from ${first} to ${second}`);
    } finally {
      for (const s of schedulers) if (s.exitCode === null) s.kill('SIGKILL');
      c.close();
      await own.stop();
    }
  });
});
