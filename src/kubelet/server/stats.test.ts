import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeService } from '../../cri/types.js';
import { StatsProvider } from './stats.js';

test('summary: host numbers from the given root, pods through their sandboxes, CPU rates over a window', async () => {
  const root = await mkdtemp(join(tmpdir(), 'kt-stats-'));
  try {
    await mkdir(join(root, 'sys/fs/cgroup/cpu,cpuacct'), { recursive: true });
    await mkdir(join(root, 'proc'));
    await writeFile(join(root, 'proc/meminfo'), 'MemTotal:       1000 kB\nMemFree:         200 kB\nMemAvailable:    600 kB\n');
    const setHostCpu = (ns: number) => writeFile(join(root, 'sys/fs/cgroup/cpu,cpuacct/cpuacct.usage'), `${ns}\n`);
    let containerNs = 0;
    const runtime = {
      listContainers: async () => [{ id: 'c1', pod_sandbox_id: 's1' }],
      listPodSandbox: async () => [{ id: 's1', created_at: '1700000000000000000', metadata: { name: 'web', namespace: 'ns', uid: 'u1', attempt: 0 } }],
      listContainerStats: async () => [
        { attributes: { id: 'c1', metadata: { name: 'app', attempt: 0 }, labels: {}, annotations: {} }, cpu: { timestamp: '0', usage_core_nano_seconds: { value: String(containerNs) } }, memory: { timestamp: '0', working_set_bytes: { value: '4096' } } },
      ],
    } as unknown as RuntimeService;
    let now = 1_000_000;
    const stats = new StatsProvider(runtime, 'n1', root, () => now);

    await setHostCpu(1e9);
    const first = await stats.summary();
    assert.deepEqual(first.node.memory, { time: first.node.memory!.time, usageBytes: 800 * 1024, workingSetBytes: 400 * 1024, availableBytes: 600 * 1024 });
    assert.equal(first.node.cpu!.usageNanoCores, undefined);
    assert.deepEqual(first.pods[0]!.podRef, { name: 'web', namespace: 'ns', uid: 'u1' });
    assert.equal(first.pods[0]!.startTime, '2023-11-14T22:13:20Z');
    assert.equal(first.pods[0]!.memory!.workingSetBytes, 4096);

    // 2 s later: the host used 1 CPU-second (0.5 cores), the container 0.1 s (0.05 cores).
    now += 2000;
    await setHostCpu(2e9);
    containerNs = 1e8;
    const second = await stats.summary();
    assert.equal(second.node.cpu!.usageNanoCores, 5e8);
    assert.equal(second.pods[0]!.containers[0]!.cpu!.usageNanoCores, 5e7);
    assert.equal(second.pods[0]!.cpu!.usageNanoCores, 5e7);

    // Asked again 10 ms later: the last rate, not a ratio of two nearby samples.
    now += 10;
    await setHostCpu(2.1e9);
    const third = await stats.summary();
    assert.equal(third.node.cpu!.usageNanoCores, 5e8);
    assert.equal(third.node.cpu!.usageCoreNanoSeconds, 2.1e9);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
