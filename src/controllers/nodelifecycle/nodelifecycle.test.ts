import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { microTime } from '../../client/leader-election.js';
import type { Lease, Node, Pod } from '../../client/types.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { scaled, scaledSeconds } from '../../testing/time-scale.js';
import { waitFor } from '../../testing/wait-for.js';
import { nodeLifecycleController } from './index.js';

let cp: TestControlPlane;
const abort = new AbortController();
let running: Promise<void>;
let heartbeat: NodeJS.Timeout | undefined;

const iso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

async function makeNode(name: string, ready: 'True' | 'False'): Promise<void> {
  const node = await cp.client.nodes.create(undefined, { metadata: { name } });
  await cp.client.nodes.updateStatus({ ...node, status: { conditions: [{ type: 'Ready', status: ready, reason: 'KubeletReady', lastHeartbeatTime: iso(), lastTransitionTime: iso() }] } });
  await cp.client.leases.create('kube-node-lease', {
    metadata: { name, namespace: 'kube-node-lease' },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime(Date.now()) },
  });
}

async function renew(name: string): Promise<void> {
  const lease = await cp.client.leases.get('kube-node-lease', name);
  await cp.client.leases.update({ ...lease, spec: { ...lease.spec, renewTime: microTime(Date.now()) } });
}

async function makePod(name: string, node: string, tolerations?: unknown[]): Promise<Pod> {
  const pod = await cp.client.pods.create('default', {
    metadata: { name },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) },
  });
  return cp.client.pods.updateStatus({ ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
}

const getNode = (n: string) => cp.client.nodes.get(undefined, n);
const getPod = (n: string) => cp.client.pods.get('default', n);
const taintIds = (n: Node) => (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();

before(async () => {
  // DefaultTolerationSeconds, shortened so the test sees its pod leave.
  cp = await startTestControlPlane({ datastore: 'memory', defaultTolerationSeconds: 1 });
  await makeNode('alive', 'True');
  await makeNode('sick', 'False');
  await makeNode('dead', 'True');
  // Only alive and sick keep heartbeating.
  heartbeat = setInterval(() => {
    for (const n of ['alive', 'sick']) renew(n).catch(() => {});
  }, 250);
  // 2 s, eight heartbeats; stretched on a slow host, where late renewals would make the live nodes look dead.
  running = nodeLifecycleController(cp.controllerContext({ nodeMonitorGracePeriodSeconds: scaledSeconds(2) })).run(abort.signal);
});

after(async () => {
  clearInterval(heartbeat);
  abort.abort();
  await running;
  await cp.stop();
});

test('a silent node goes Unknown and is tainted; pods are evicted as their tolerations allow', async () => {
  await makePod('none', 'dead', []);
  await makePod('defaulted', 'dead');
  await makePod('forever', 'dead', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }]);
  const defaulted = await getPod('defaulted');
  assert.deepEqual((defaulted.spec as { tolerations?: { key: string; tolerationSeconds?: number }[] }).tolerations?.map((t) => [t.key, t.tolerationSeconds]), [
    ['node.kubernetes.io/not-ready', 1],
    ['node.kubernetes.io/unreachable', 1],
  ]);

  const dead = await waitFor(async () => {
    const n = await getNode('dead');
    return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown' && taintIds(n).length === 2 ? n : undefined;
  }, 10_000, 'dead node Unknown and tainted');
  const ready = dead.status!.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(ready.reason, 'NodeStatusUnknown');
  assert.equal(ready.message, 'Kubelet stopped posting node status.');
  assert.deepEqual(taintIds(dead), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
  assert.ok((dead.spec!.taints!.find((t) => t.effect === 'NoExecute') as { timeAdded?: string }).timeAdded);

  await waitFor(async () => !!(await getPod('none')).metadata.deletionTimestamp, 5_000, 'untolerating pod evicted');
  const none = await getPod('none');
  assert.equal(none.status?.conditions?.find((c) => c.type === 'DisruptionTarget')?.reason, 'DeletionByTaintManager');
  await waitFor(async () => !!(await getPod('defaulted')).metadata.deletionTimestamp, 8_000, 'pod evicted after its 1 s toleration');
  const forever = await waitFor(async () => {
    const p = await getPod('forever');
    return p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False' ? p : undefined;
  }, 5_000, 'pod marked NotReady');
  assert.equal(forever.metadata.deletionTimestamp, undefined);

  const alive = await getNode('alive');
  assert.deepEqual(taintIds(alive), []);
});

test('Ready=False gets not-ready taints; recovery removes the taints', async () => {
  const sick = await waitFor(async () => {
    const n = await getNode('sick');
    return taintIds(n).length === 2 ? n : undefined;
  }, 10_000, 'sick node tainted');
  assert.deepEqual(taintIds(sick), ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
  assert.equal(sick.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');

  // The dead node's kubelet comes back.
  const dead = await getNode('dead');
  await cp.client.nodes.updateStatus({ ...dead, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: iso(), lastTransitionTime: iso() }] } });
  await renew('dead');
  await waitFor(async () => taintIds(await getNode('dead')).length === 0, 10_000, 'taints removed');
});

test('lease objects are what keeps a node alive', async () => {
  const lease: Lease = await cp.client.leases.get('kube-node-lease', 'alive');
  assert.ok(Date.now() - Date.parse(lease.spec!.renewTime!) < scaled(2_000));
  const alive = await getNode('alive');
  assert.equal(alive.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
});
