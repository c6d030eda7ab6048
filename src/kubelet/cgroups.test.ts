import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Pod } from '../api/core-v1.js';
import { detectCgroupLayout, PodCgroupManager, readCgroupStats } from './cgroups.js';

const pod = (uid: string, resources?: object): Pod => ({ metadata: { name: uid, namespace: 'd', uid }, spec: { containers: [{ name: 'c', resources }] } });

test('pod cgroups: per-QoS paths with limits in every hierarchy, stats, removal with a process inside', async () => {
  const layout = await detectCgroupLayout();
  assert.ok(layout.v1.includes('memory') || layout.v2, 'some cgroup hierarchy is mounted');
  const root = `/kubets-test-${randomBytes(4).toString('hex')}`;
  const m = new PodCgroupManager(layout, root);
  try {
    const g = await m.ensure(pod('g1', { limits: { cpu: '500m', memory: '64Mi' } }));
    const b = await m.ensure(pod('b1', { requests: { cpu: '250m' } }));
    const e = await m.ensure(pod('e1'));
    assert.equal(g, `${root}/podg1`);
    assert.equal(b, `${root}/burstable/podb1`);
    assert.equal(e, `${root}/besteffort/pode1`);
    assert.deepEqual(await m.listPodUids(), ['b1', 'e1', 'g1']);
    const rd = (h: string, p: string, f: string) => fs.readFile(path.join(layout.mountRoot, h, p, f), 'utf8').then((s) => s.trim());
    if (layout.v1.includes('memory')) {
      for (const h of layout.v1) assert.ok((await fs.stat(path.join(layout.mountRoot, h, g))).isDirectory(), h);
      assert.equal(await rd('cpu', g, 'cpu.shares'), '512');
      assert.equal(await rd('cpu', g, 'cpu.cfs_quota_us'), '50000');
      assert.equal(await rd('memory', g, 'memory.limit_in_bytes'), String(64 * 1024 * 1024));
      assert.equal(await rd('cpu', b, 'cpu.shares'), '256');
      assert.equal(await rd('cpu', b, 'cpu.cfs_quota_us'), '-1');
      assert.equal(await rd('cpu', e, 'cpu.shares'), '2');
      assert.notEqual(await rd('cpuset', g, 'cpuset.cpus'), '');

      // A process in the pod cgroup: stats see it; removal kills it.
      // It allocates only after joining: memory charged before a move stays with the old cgroup.
      const child = spawn('sh', ['-c', 'read go; x=$(head -c 4000000 /dev/zero | tr "\\0" a); while :; do :; done'], { stdio: ['pipe', 'ignore', 'ignore'] });
      const exited = new Promise((r) => child.once('exit', r));
      await fs.writeFile(path.join(layout.mountRoot, 'memory', g, 'cgroup.procs'), String(child.pid));
      await fs.writeFile(path.join(layout.mountRoot, 'cpuacct', g, 'cgroup.procs'), String(child.pid));
      child.stdin!.write('go\n');
      const deadline = Date.now() + 10_000;
      let stats = await readCgroupStats(layout, g);
      while (((stats.cpuUsageNanos ?? 0n) === 0n || !stats.memoryUsageBytes) && Date.now() < deadline) stats = await m.stats(g);
      assert.ok((stats.memoryUsageBytes ?? 0) > 0, 'memory usage read');
      assert.ok((stats.memoryWorkingSetBytes ?? -1) >= 0);
      assert.ok((stats.cpuUsageNanos ?? 0n) > 0n, 'cpu usage read');
      await m.remove('g1');
      await exited;
    }
    await m.remove('b1');
    await m.remove('e1');
    await m.remove('e1'); // idempotent
    assert.deepEqual(await m.listPodUids(), []);
    for (const h of layout.v1) await assert.rejects(fs.stat(path.join(layout.mountRoot, h, g)));
  } finally {
    await m.remove('g1').catch(() => {});
    await m.removeRoot();
  }
  for (const h of layout.v1) await assert.rejects(fs.stat(path.join(layout.mountRoot, h, root)));
});

test('removeIdle removes the pod cgroups with no process and leaves a busy one and its process alone', async () => {
  const layout = await detectCgroupLayout();
  const root = `/kubets-test-${randomBytes(4).toString('hex')}`;
  const m = new PodCgroupManager(layout, root);
  const member = layout.v1.includes('memory') ? path.join(layout.mountRoot, 'memory') : layout.v2!;
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await m.ensure(pod('idle1'));
    await m.ensure(pod('idle2', { requests: { cpu: '100m' } }));
    const busy = await m.ensure(pod('busy'));
    await fs.writeFile(path.join(member, busy, 'cgroup.procs'), String(child.pid));
    await m.removeIdle();
    assert.deepEqual(await m.listPodUids(), ['busy']);
    assert.equal(child.exitCode, null, 'removeIdle kills nothing');
    assert.equal(child.signalCode, null);
    await assert.rejects(fs.stat(path.join(member, root, 'burstable')), 'an emptied tier goes too');
  } finally {
    await m.remove('busy');
    await exited;
    await m.removeRoot();
  }
});
