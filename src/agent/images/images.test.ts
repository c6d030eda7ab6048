// The built images in a real containerd: import is exact and idempotent,
// and the pause image behaves as a pod's init (user 65535, reaps zombies,
// exits on SIGTERM).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestNode, type TestNode } from '../../cri/testing/containerd-harness.js';
import { testContainerConfig, testSandboxConfig } from '../../cri/testing/configs.js';
import { ensureBuiltImages } from '../../cri/testing/images.js';
import { importImageDir, listContainerdImages } from './import.js';
import { archiveImages } from './archive.js';
import { BUSYBOX_IMAGE, PAUSE_IMAGE, IMAGE_ARCHIVES } from './names.js';
import { join } from 'node:path';
import { waitFor } from '../../testing/wait-for.js';

let node: TestNode;
before(async () => {
  node = await startTestNode();
});
after(async () => {
  await node?.stop();
});

test('archives declare their full names; import is exact and skips what is there', async () => {
  const dir = await ensureBuiltImages();
  assert.deepEqual((await archiveImages(join(dir, IMAGE_ARCHIVES.busybox))).map((i) => i.name), [BUSYBOX_IMAGE]);
  assert.deepEqual((await archiveImages(join(dir, IMAGE_ARCHIVES.pause))).map((i) => i.name), [PAUSE_IMAGE]);
  const names = [...(await listContainerdImages({ socket: node.socket })).keys()].filter((n) => !n.startsWith('sha256:'));
  assert.deepEqual(names.sort(), [BUSYBOX_IMAGE, PAUSE_IMAGE].sort(), 'no import-<date> names');
  const again = await importImageDir(dir, { socket: node.socket });
  assert.deepEqual(again.imported, []);
  assert.equal(again.skipped.length, 2);
  assert.deepEqual(await importImageDir(join(dir, 'does-not-exist'), { socket: node.socket }), { imported: [], skipped: [] });
});

const zombies = `for f in /proc/[0-9]*/stat; do s=$(cut -d' ' -f3 "$f" 2>/dev/null) && [ "$s" = Z ] && echo "$f"; done; true`;

test('pause: runs as 65535, reaps orphans in a shared PID namespace, exits on SIGTERM', async () => {
  const sc = testSandboxConfig(node, 'pause', {
    linux: { cgroup_parent: `${node.cgroupParent}/pause`, security_context: { namespace_options: { network: 'POD', pid: 'POD', ipc: 'POD' } } },
  });
  const sandboxId = await node.cri.runPodSandbox(sc);
  // The shell's background children are orphaned when the subshell exits and
  // re-parented to PID 1 (pause), which must reap them when they exit.
  const cc = testContainerConfig('orphans', ['sh', '-c', '(sleep 0.2 & sleep 0.2 & sleep 0.2 &); exec sleep 3600'], {
    linux: { security_context: { namespace_options: { network: 'POD', pid: 'POD', ipc: 'POD' } } },
  });
  const id = await node.cri.createContainer(sandboxId, cc, sc);
  await node.cri.startContainer(id);
  const ps = await node.cri.execSync(id, ['sh', '-c', 'cat /proc/1/cmdline; echo; grep "^Uid:" /proc/1/status'], 10);
  assert.match(ps.stdout.toString(), /^\/pause/);
  assert.match(ps.stdout.toString(), /Uid:\s+65535\s/);
  // Wait until the sleeps have exited (a zombie's cmdline is empty); then
  // none may stay a zombie: pause reaps them.
  const sleeps = `for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < "$f"; echo; done | grep -c '^sleep 0.2'; true`;
  await waitFor(async () => (await node.cri.execSync(id, ['sh', '-c', sleeps], 10)).stdout.toString().trim() === '0', { timeoutMs: 10_000, what: 'orphans to exit' });
  await waitFor(async () => (await node.cri.execSync(id, ['sh', '-c', zombies], 10)).stdout.toString() === '', { timeoutMs: 3_000, what: 'no zombie processes' });

  // Control: with a PID namespace of its own, the container's PID 1 is
  // `sleep 3600`, which reaps nothing: the same orphans stay zombies.
  const control = await node.cri.createContainer(
    sandboxId,
    testContainerConfig('control', cc.command, { linux: { security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } } }),
    sc,
  );
  await node.cri.startContainer(control);
  await waitFor(async () => (await node.cri.execSync(control, ['sh', '-c', zombies], 10)).stdout.toString().trim().split('\n').length === 3, {
    timeoutMs: 10_000,
    what: 'three zombies in the control container',
  });

  // SIGTERM to PID 1 from inside the pod. A PID namespace's init gets only
  // the signals it handles: the control's `sleep` ignores it (signals are
  // delivered, or dropped, within kill(2), so this is settled at once)...
  await node.cri.execSync(control, ['sh', '-c', 'kill -TERM 1'], 10);
  // ...while pause exits on it, which ends the sandbox. The exec dies with the
  // PID namespace, so its own result is not looked at.
  await node.cri.execSync(id, ['sh', '-c', 'kill -TERM 1'], 10).catch(() => undefined);
  await waitFor(async () => (await node.cri.podSandboxStatus(sandboxId))?.state === 'SANDBOX_NOTREADY', { timeoutMs: 30_000, what: 'the sandbox to end after SIGTERM to pause' });
  assert.equal((await node.cri.containerStatus(control))?.state, 'CONTAINER_RUNNING', 'the control ignored SIGTERM');
  await node.cri.stopPodSandbox(sandboxId);
  await node.cri.removePodSandbox(sandboxId);
});
