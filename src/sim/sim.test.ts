// Simulated nodes against the in-process API server: registration, leases,
// the pod lifecycle, graceful deletion, job-style completion, heartbeat
// control and custom stages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from '../client/types.js';
import { startTestControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import { waitFor } from '../testing/wait-for.js';
import { silentLogger } from '../util/log.js';
import { startSimulatedNodes, type SimHandle } from './index.js';

let cp: TestControlPlane;
let sim: SimHandle;
const NS = 'default';

const podSpec = (name: string, annotations?: Record<string, string>, restartPolicy = 'Always'): Pod => ({
  metadata: { name, namespace: NS, ...(annotations ? { annotations } : {}) },
  spec: { containers: [{ name: 'app', image: 'registry.example/app:1', resources: { requests: { cpu: '100m' } } }], terminationGracePeriodSeconds: 30, restartPolicy },
});

/** Creates a pod and binds it, as the scheduler would. */
async function runPod(name: string, node: string, annotations?: Record<string, string>, restartPolicy?: string): Promise<void> {
  await cp.client.pods.create(NS, podSpec(name, annotations, restartPolicy));
  await cp.client.bind(NS, name, node);
}

const renewTime = async (node: string) => (await cp.client.leases.get('kube-node-lease', node)).spec?.renewTime ?? '';

/** Waits until the node's Lease has been renewed `n` more times. */
async function renewals(node: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const seen = await renewTime(node);
    await waitFor(async () => (await renewTime(node)) > seen, { what: `a renewal of ${node}`, timeoutMs: 5000 });
  }
}

const phaseOf = async (name: string) => (await cp.client.pods.get(NS, name)).status?.phase;

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
  sim = await startSimulatedNodes({ client: cp.client, nodes: 3, logger: silentLogger, leasePeriodMs: 200, statusPeriodMs: 60_000, random: () => 0 });
});

after(async () => {
  await sim?.stop();
  await cp?.stop();
});

describe('simulated nodes', () => {
  test('register Nodes with labels, resources, conditions and a Lease', async () => {
    assert.deepEqual(sim.nodeNames(), ['sim-node-0', 'sim-node-1', 'sim-node-2']);
    const node = await cp.client.nodes.get(undefined, 'sim-node-1');
    const labels = node.metadata.labels ?? {};
    assert.equal(labels['kubernetes.io/hostname'], 'sim-node-1');
    assert.equal(labels.type, 'kwok');
    assert.equal(labels['node.kubernetes.io/instance-type'], 'kubets-sim');
    const st = node.status as { allocatable: Record<string, string>; conditions: { type: string; status: string }[]; addresses: { type: string; address: string }[]; nodeInfo: Record<string, string> };
    assert.deepEqual(st.allocatable, { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '100Gi' });
    assert.equal(st.conditions.find((c) => c.type === 'Ready')?.status, 'True');
    assert.equal(st.addresses.find((a) => a.type === 'InternalIP')?.address, '10.244.0.2');
    assert.equal(st.nodeInfo.kubeletVersion, 'v1.33.0+kubets');
    const lease = await cp.client.leases.get('kube-node-lease', 'sim-node-1');
    assert.equal(lease.spec?.holderIdentity, 'sim-node-1');
    assert.equal(lease.metadata.ownerReferences?.[0]?.uid, node.metadata.uid);
  });

  test('renew Leases periodically', async () => {
    await renewals('sim-node-0', 2);
  });

  test('run a bound pod to Running and Ready with an IP from the node CIDR', async () => {
    await runPod('web', 'sim-node-2');
    const pod = await waitFor(async () => {
      const p = await cp.client.pods.get(NS, 'web');
      return p.status?.phase === 'Running' ? p : undefined;
    }, { what: 'pod web Running' });
    const st = pod.status as { podIP: string; hostIP: string; startTime: string; qosClass: string; conditions: { type: string; status: string }[]; containerStatuses: { ready: boolean; state: { running?: unknown } }[] };
    assert.match(st.podIP, /^10\.42\.2\.\d+$/, 'default /24 of node index 2');
    assert.equal(st.hostIP, '10.244.0.3');
    assert.ok(st.startTime);
    assert.equal(st.qosClass, 'Burstable');
    for (const t of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) assert.equal(st.conditions.find((c) => c.type === t)?.status, 'True', t);
    assert.equal(st.containerStatuses[0]!.ready, true);
    assert.ok(st.containerStatuses[0]!.state.running);
  });

  test('use the node spec.podCIDR when set', async () => {
    await cp.client.nodes.patch(undefined, 'sim-node-0', { spec: { podCIDR: '10.99.7.0/24', podCIDRs: ['10.99.7.0/24'] } }, 'merge');
    assert.equal(sim.podCidrOf('sim-node-0'), '10.42.0.0/24');
    // The simulator learns the CIDR through its node informer.
    await waitFor(() => sim.podCidrOf('sim-node-0') === '10.99.7.0/24', { what: 'the simulator to see the podCIDR' });
    await runPod('cidr', 'sim-node-0');
    const ip = await waitFor(async () => (await cp.client.pods.get(NS, 'cidr')).status?.podIP, { what: 'pod IP' });
    assert.match(String(ip), /^10\.99\.7\.\d+$/);
  });

  test('stop a gracefully deleted pod and delete it for good', async () => {
    await runPod('doomed', 'sim-node-1');
    await waitFor(async () => (await phaseOf('doomed')) === 'Running', { what: 'doomed Running' });
    const reply = (await cp.client.pods.delete(NS, 'doomed')) as Pod;
    assert.ok(reply.metadata.deletionTimestamp, 'the API server keeps it for the grace period');
    await waitFor(async () => {
      try {
        await cp.client.pods.get(NS, 'doomed');
        return false;
      } catch (err) {
        return (err as { code?: number }).code === 404;
      }
    }, { what: 'doomed deleted' });
    assert.ok(sim.stats().podDeletes >= 1, 'the simulator made the final delete');
  });

  test('complete a job-style pod after its annotation, or fail it with an exit code', async () => {
    const t0 = Date.now();
    await runPod('job-ok', 'sim-node-1', { 'sim.kubets.io/complete-after': '300ms' }, 'Never');
    await runPod('job-bad', 'sim-node-1', { 'sim.kubets.io/complete-after': '10ms', 'sim.kubets.io/exit-code': '2' }, 'Never');
    await runPod('job-retry', 'sim-node-1', { 'sim.kubets.io/complete-after': '10ms', 'sim.kubets.io/exit-code': '1' }, 'OnFailure');
    await waitFor(async () => (await phaseOf('job-ok')) === 'Succeeded', { what: 'job-ok Succeeded' });
    assert.ok(Date.now() - t0 >= 300, 'not before the annotated duration');
    const ok = await cp.client.pods.get(NS, 'job-ok');
    const okState = (ok.status as { containerStatuses: { state: { terminated: { exitCode: number; reason: string } } }[] }).containerStatuses[0]!.state.terminated;
    assert.deepEqual([okState.exitCode, okState.reason], [0, 'Completed']);
    await waitFor(async () => (await phaseOf('job-bad')) === 'Failed', { what: 'job-bad Failed' });
    const bad = await cp.client.pods.get(NS, 'job-bad');
    const badState = (bad.status as { containerStatuses: { state: { terminated: { exitCode: number; reason: string } } }[] }).containerStatuses[0]!.state.terminated;
    assert.deepEqual([badState.exitCode, badState.reason], [2, 'Error']);
    // OnFailure: the kubelet restarts the container instead; the pod stays Running.
    const retry = await waitFor(async () => {
      const p = await cp.client.pods.get(NS, 'job-retry');
      const cs = (p.status?.containerStatuses as { restartCount: number; lastState?: { terminated?: { exitCode: number } } }[] | undefined)?.[0];
      return cs && cs.restartCount >= 2 ? { phase: p.status?.phase, cs } : undefined;
    }, { what: 'job-retry restarted twice' });
    assert.equal(retry.phase, 'Running');
    assert.equal(retry.cs.lastState?.terminated?.exitCode, 1);
    await cp.client.pods.delete(NS, 'job-retry', { gracePeriodSeconds: 0 }); // stop the crash loop
  });

  test('stopHeartbeat stops lease renewals and freezes pods; resume restarts both', async () => {
    assert.equal(sim.stopHeartbeat('sim-node-2'), true);
    // Two renewals of a healthy node: any renewal of sim-node-2 in flight has landed by then.
    await renewals('sim-node-1', 2);
    const frozen = await renewTime('sim-node-2');
    await runPod('stuck', 'sim-node-2');
    await renewals('sim-node-1', 2);
    assert.equal(await renewTime('sim-node-2'), frozen);
    assert.equal((await cp.client.pods.get(NS, 'stuck')).status?.containerStatuses, undefined, 'a dead kubelet does not start pods');
    assert.equal(sim.isHeartbeatStopped('sim-node-2'), true);

    assert.equal(await sim.resumeHeartbeat('sim-node-2'), true);
    assert.ok((await renewTime('sim-node-2')) > frozen);
    await waitFor(async () => (await phaseOf('stuck')) === 'Running', { what: 'stuck Running after resume' });
  });

  test('addNodes and removeNode', async () => {
    const added = await sim.addNodes(2);
    assert.deepEqual(added, ['sim-node-3', 'sim-node-4']);
    const node: Node = await cp.client.nodes.get(undefined, 'sim-node-4');
    assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'sim-node-4');
    await runPod('late', 'sim-node-4');
    await waitFor(async () => (await phaseOf('late')) === 'Running', { what: 'late Running' });
    assert.equal(await sim.removeNode('sim-node-3'), true);
    await assert.rejects(cp.client.nodes.get(undefined, 'sim-node-3'), { code: 404 });
    await assert.rejects(cp.client.leases.get('kube-node-lease', 'sim-node-3'), { code: 404 });
    assert.ok(!sim.nodeNames().includes('sim-node-3'));
  });

  test('reuse the IP of a finished pod', async () => {
    const [node] = await sim.addNodes(1);
    // A /30 has one pod address: the second pod can only run if the first one's IP came back.
    await cp.client.nodes.patch(undefined, node!, { spec: { podCIDR: '10.99.8.0/30', podCIDRs: ['10.99.8.0/30'] } }, 'merge');
    await waitFor(() => sim.podCidrOf(node!) === '10.99.8.0/30', { what: 'the simulator to see the podCIDR' });
    await runPod('tiny-1', node!, { 'sim.kubets.io/complete-after': '10ms' }, 'Never');
    await waitFor(async () => (await phaseOf('tiny-1')) === 'Succeeded', { what: 'tiny-1 Succeeded' });
    assert.equal((await cp.client.pods.get(NS, 'tiny-1')).status?.podIP, '10.99.8.2');
    await runPod('tiny-2', node!);
    const p2 = await waitFor(async () => {
      const p = await cp.client.pods.get(NS, 'tiny-2');
      return p.status?.phase === 'Running' ? p : undefined;
    }, { what: 'tiny-2 Running' });
    assert.equal(p2.status?.podIP, '10.99.8.2');
  });
});

describe('custom stages', () => {
  test('a stage config replaces the built-in lifecycle (with a shared informer factory)', async () => {
    const custom = await startSimulatedNodes({
      client: cp.client,
      informers: cp.controllerContext().informers,
      nodes: 1,
      namePrefix: 'custom-',
      logger: silentLogger,
      stages: {
        stages: [
          {
            name: 'straight-to-failed',
            selector: { phase: ['Pending'], deleting: false, matchLabels: { sim: 'fail' } },
            delay: { durationMs: 1 },
            next: { phase: 'Failed', containers: { state: 'terminated', exitCode: 42, reason: 'Crashed' }, conditions: [{ type: 'Ready', status: 'False', reason: 'PodFailed' }] },
          },
        ],
      },
    });
    try {
      const labelled: Pod = { ...podSpec('crash'), metadata: { name: 'crash', namespace: NS, labels: { sim: 'fail' } } };
      await cp.client.pods.create(NS, labelled);
      await cp.client.bind(NS, 'crash', 'custom-0');
      await runPod('ignored', 'custom-0');
      await waitFor(async () => (await phaseOf('crash')) === 'Failed', { what: 'crash Failed' });
      const st = (await cp.client.pods.get(NS, 'crash')).status as { containerStatuses: { state: { terminated: { exitCode: number; reason: string } } }[] };
      assert.deepEqual(st.containerStatuses[0]!.state.terminated.exitCode, 42);
      assert.equal(st.containerStatuses[0]!.state.terminated.reason, 'Crashed');
      // No stage matches the unlabelled pod: it stays untouched.
      const ignored = await cp.client.pods.get(NS, 'ignored');
      assert.equal(ignored.status?.containerStatuses, undefined);
      assert.equal(ignored.status?.phase, 'Pending');
    } finally {
      await custom.stop();
    }
  });
});
