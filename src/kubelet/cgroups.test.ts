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
      const child = spawn('sh', ['-c', 'x=$(head -c 4000000 /dev/zero | tr "\\0" a); while :; do :; done'], { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      await fs.writeFile(path.join(layout.mountRoot, 'memory', g, 'cgroup.procs'), String(child.pid));
      await fs.writeFile(path.join(layout.mountRoot, 'cpuacct', g, 'cgroup.procs'), String(child.pid));
      const deadline = Date.now() + 10_000;
      let stats = await readCgroupStats(layout, g);
      while ((stats.cpuUsageNanos ?? 0n) === 0n && Date.now() < deadline) stats = await m.stats(g);
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
