import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Node } from '../../client/types.js';
import { startTestControlPlane, type TestControlPlane } from '../../testing/control-plane.js';
import { waitFor } from '../../testing/wait-for.js';
import { nodeIpamController } from './index.js';
import { nodePodCidr } from './controller.js';

let cp: TestControlPlane;

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
});

after(() => cp.stop());

const node = (name: string, podCIDR?: string): Node => ({ metadata: { name }, spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {} });
const cidrOf = async (name: string) => nodePodCidr(await cp.client.nodes.get(undefined, name));

test('assigns distinct /24s, recovers existing ones on start, reuses freed ranges', async () => {
  // A node that already has a range before the controller starts: that range must not be handed out again.
  await cp.client.nodes.create(undefined, node('pre', '10.99.0.0/24'));
  const abort = new AbortController();
  const running = nodeIpamController(cp.controllerContext({ clusterCidr: '10.99.0.0/22', nodeCidrMaskSize: 24 })).run(abort.signal);
  try {
    for (const n of ['a', 'b', 'c']) await cp.client.nodes.create(undefined, node(n));
    const got = await waitFor(async () => {
      const cs = await Promise.all(['a', 'b', 'c'].map(cidrOf));
      return cs.every(Boolean) ? cs : undefined;
    }, 10_000, 'podCIDRs');
    assert.deepEqual([...got].sort(), ['10.99.1.0/24', '10.99.2.0/24', '10.99.3.0/24']);
    const full = await cp.client.nodes.get(undefined, 'a');
    assert.deepEqual((full.spec as { podCIDRs?: string[] }).podCIDRs, [full.spec?.podCIDR]);

    // Exhausted: d waits; deleting b frees its range for d.
    await cp.client.nodes.create(undefined, node('d'));
    const said = await waitFor(async () => {
      const evs = (await cp.client.events.list('default')).items as unknown as { reason?: string; involvedObject?: { kind?: string; name?: string } }[];
      return evs.find((e) => e.reason === 'CIDRNotAvailable' && e.involvedObject?.name === 'd');
    }, 10_000, 'the CIDRNotAvailable event for d');
    assert.equal(said.involvedObject?.kind, 'Node');
    // Its heartbeats do not retry it (nor say it again): only a freed range does.
    await cp.client.nodes.patch(undefined, 'd', { metadata: { labels: { beat: '1' } } }, 'merge');
    await cp.client.nodes.patch(undefined, 'd', { metadata: { labels: { beat: '2' } } }, 'merge');
    const bCidr = await cidrOf('b');
    await cp.client.nodes.delete(undefined, 'b');
    assert.equal(await waitFor(() => cidrOf('d'), 20_000, 'd gets the freed range'), bCidr);
    const told = ((await cp.client.events.list('default')).items as unknown as { reason?: string; involvedObject?: { name?: string } }[]).filter((e) => e.reason === 'CIDRNotAvailable' && e.involvedObject?.name === 'd');
    assert.equal(told.length, 1, 'said once');
  } finally {
    abort.abort();
    await running;
  }

  // A second controller instance (a new leader) recovers every range and gives out none twice.
  const abort2 = new AbortController();
  const running2 = nodeIpamController(cp.controllerContext({ clusterCidr: '10.99.0.0/21', nodeCidrMaskSize: 24 })).run(abort2.signal);
  try {
    await cp.client.nodes.create(undefined, node('e'));
    const e = await waitFor(() => cidrOf('e'), 10_000, 'e podCIDR');
    assert.equal(e, '10.99.4.0/24');
  } finally {
    abort2.abort();
    await running2;
  }
});
