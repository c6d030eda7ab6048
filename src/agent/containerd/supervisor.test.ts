// The supervisor against a real containerd in a network namespace of the
// test's own: start, answer, restart after kill -9 (adopting the running
// sandbox), and a stop that leaves no process, shim or mount behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ContainerdSupervisor } from './supervisor.js';
import { CriClient } from '../../cri/grpc-client.js';
import { writeCniConflist } from '../cni/conflist.js';
import { importImageDir } from '../images/import.js';
import { PAUSE_IMAGE } from '../images/names.js';
import { descendants, isAlive, listProcesses, shimsOf } from '../processes.js';
import { mountFsType, mountsUnder } from '../mounts.js';
import { removeCniResultsUnder } from '../cni/result-cache.js';
import { removeCgroupTreeEventually } from '../cgroups.js';
import { createNetNs } from '../../cri/testing/netns.js';
import { ensureBuiltImages } from '../../cri/testing/images.js';
import { testSandboxConfig } from '../../cri/testing/configs.js';
import { waitFor } from '../../testing/wait-for.js';
import { FakeClock } from '../../util/clock.js';

test('containerd: starts, answers, is restarted after kill -9, stops leaving nothing', async () => {
  const dir = mkdtempSync('/tmp/kt-');
  const ns = await createNetNs();
  const cgroupParent = `/kubets-test-sup-${process.pid}-${Date.now()}`;
  const sup = new ContainerdSupervisor({ dir: join(dir, 'c'), sandboxImage: PAUSE_IMAGE, netnsPath: ns.path, backoff: { initialMs: 50, maxMs: 1000, resetAfterMs: 60_000 } });
  const cri = new CriClient(sup.socket, { timeoutMs: 30_000 });
  try {
    writeCniConflist(sup.layout.cniConfDir, { podCIDR: '10.88.250.0/24', ipamDataDir: join(dir, 'ipam') });
    await sup.start();
    assert.equal(sup.starts, 1);
    assert.equal((await cri.version()).runtime_name, 'containerd');
    assert.equal(mountFsType(sup.layout.state), 'tmpfs', 'its state is volatile, as under /run');
    const firstPid = sup.pid!;
    // It runs in our namespace, not the host's.
    const { readlinkSync } = await import('node:fs');
    assert.notEqual(readlinkSync(`/proc/${firstPid}/ns/net`), readlinkSync('/proc/self/ns/net'));

    await importImageDir(await ensureBuiltImages(), { socket: sup.socket });
    const sc = testSandboxConfig({ logDir: join(dir, 'logs'), cgroupParent }, 'sup');
    const sandboxId = await cri.runPodSandbox(sc);
    const shims = shimsOf(sup.socket);
    assert.equal(shims.length, 1, 'one shim for the sandbox');
    const pause = await waitFor(() => descendants(shims[0]!.pid).find((p) => p.argv[0] === '/pause'), {
      timeoutMs: 5_000,
      what: `pause under shim ${shims[0]!.pid}: ${JSON.stringify(descendants(shims[0]!.pid))}`,
    });

    process.kill(firstPid, 'SIGKILL');
    await waitFor(() => sup.starts === 2 && sup.pid !== undefined && sup.pid !== firstPid, { timeoutMs: 10_000, what: 'restart' });
    await sup.waitReady(20_000);
    // The restarted containerd adopts the running sandbox.
    const status = await cri.podSandboxStatus(sandboxId);
    assert.equal(status?.state, 'SANDBOX_READY');
    assert.equal(mountsUnder(dir).filter((m) => m === sup.layout.state).length, 1, 'the restart kept the same state mount');
    assert.ok(isAlive(pause.pid));

    const secondPid = sup.pid!;
    await sup.stop();
    assert.equal(isAlive(secondPid), false, 'containerd gone');
    assert.equal(isAlive(pause.pid), false, 'container processes gone');
    assert.deepEqual(shimsOf(sup.socket), [], 'no shim of this instance');
    assert.deepEqual(mountsUnder(dir), [], 'nothing mounted under its dir');
    assert.equal(removeCniResultsUnder(sup.layout.state), 0, 'no CNI result cache entries of its sandboxes');
    assert.equal(listProcesses().filter((p) => p.argv.some((a) => a.includes(dir))).length, 0, 'no process mentions its dir');
    // Stopped means stopped: no restart follows.
    assert.equal(sup.pendingRestartDelayMs, undefined);
    assert.equal(sup.pid, undefined);
  } finally {
    cri.close();
    await sup.stop();
    assert.deepEqual(await removeCgroupTreeEventually(cgroupParent), []);
    await ns.delete();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('restart back-off doubles up to the maximum while containerd keeps dying', async () => {
  const dir = mkdtempSync('/tmp/kt-');
  const clock = new FakeClock(1_000);
  // /bin/false stands in for a containerd that dies at once.
  const sup = new ContainerdSupervisor({ dir, sandboxImage: PAUSE_IMAGE, containerdBin: '/bin/false', clock, readyTimeoutMs: 100, backoff: { initialMs: 100, maxMs: 300, resetAfterMs: 60_000 } });
  try {
    await assert.rejects(sup.start(), /not ready/);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const d = await waitFor(() => sup.pendingRestartDelayMs, { timeoutMs: 5_000, what: 'scheduled restart' });
      delays.push(d);
      clock.advance(d);
      assert.equal(sup.starts, i + 2);
    }
    assert.deepEqual(delays, [100, 200, 300, 300]);
    await waitFor(() => sup.pendingRestartDelayMs, { timeoutMs: 5_000 });
    await sup.stop();
    assert.equal(sup.pendingRestartDelayMs, undefined);
    clock.advance(10_000);
    assert.equal(sup.starts, 5, 'no restart after stop');
  } finally {
    await sup.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
