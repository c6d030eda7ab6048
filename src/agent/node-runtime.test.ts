// NodeRuntime in a network namespace: containerd up with images before the
// podCIDR is known; the CNI network written while it runs is picked up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NodeRuntime } from './node-runtime.js';
import { createNetNs } from '../cri/testing/netns.js';
import { ensureBuiltImages } from '../cri/testing/images.js';
import { testSandboxConfig } from '../cri/testing/configs.js';
import { removeCgroupTreeEventually } from './cgroups.js';
import { mountsUnder } from './mounts.js';
import { shimsOf } from './processes.js';
import { waitFor } from '../testing/wait-for.js';
import { BUSYBOX_IMAGE, PAUSE_IMAGE } from './images/names.js';

test('node runtime: images at start, CNI network set later, clean stop', async () => {
  const dir = mkdtempSync('/tmp/kt-');
  const ns = await createNetNs();
  const cgroupParent = `/kubets-test-rt-${process.pid}-${Date.now()}`;
  const rt = new NodeRuntime({ agentDir: join(dir, 'agent'), imageDirs: [await ensureBuiltImages(), join(dir, 'images')], netnsPath: ns.path });
  let rt2: NodeRuntime | undefined;
  try {
    await rt.start();
    const tags = (await rt.cri.listImages()).flatMap((i) => i.repo_tags).sort();
    assert.deepEqual(tags, [BUSYBOX_IMAGE, PAUSE_IMAGE].sort());
    const netReady = async () => (await rt.cri.status()).conditions.find((c) => c.type === 'NetworkReady')?.status;
    assert.equal(await netReady(), false, 'no CNI network before the podCIDR is known');

    rt.setPodCIDR('10.88.77.0/24');
    await waitFor(netReady, { timeoutMs: 10_000, what: 'NetworkReady after the conflist appears' });
    const sc = testSandboxConfig({ logDir: join(dir, 'logs'), cgroupParent }, 'late');
    const id = await rt.cri.runPodSandbox(sc);
    assert.match((await rt.cri.podSandboxStatus(id))!.network!.ip, /^10\.88\.77\.\d+$/);

    // An agent restart: containerd goes, the pod stays and is adopted.
    await rt.stop({ keepContainers: true });
    assert.equal(shimsOf(rt.socket).length, 1);
    rt2 = new NodeRuntime({ agentDir: join(dir, 'agent'), netnsPath: ns.path, imageDirs: [] });
    await rt2.start();
    assert.equal((await rt2.cri.podSandboxStatus(id))?.state, 'SANDBOX_READY');

    await rt2.stop();
    assert.deepEqual(shimsOf(rt.socket), []);
    assert.deepEqual(mountsUnder(dir), []);
  } finally {
    await rt.stop();
    await rt2?.stop();
    await removeCgroupTreeEventually(cgroupParent);
    await ns.delete();
    rmSync(dir, { recursive: true, force: true });
  }
});
