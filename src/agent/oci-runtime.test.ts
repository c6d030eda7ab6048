import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseOciRuntime, cgroupMode, OciRuntimeError } from './oci-runtime.js';
import { silentLogger } from '../util/log.js';

const V1 = (name: string, n: number) => `${30 + n} 31 0:${30 + n} / /sys/fs/cgroup/${name} rw,relatime - cgroup cgroup rw,${name}`;
const UNIFIED = '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw';
const HYBRID = ['31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755', V1('cpu', 1), V1('memory', 2), UNIFIED].join('\n');
const which = (bin: string) => `/usr/bin/${bin}`;

test('cgroupMode tells v1, v2 and hybrid apart and lists what cgroup2 still holds', () => {
  assert.deepEqual(cgroupMode('1 0 0:1 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw', () => 'cpu memory'), { mode: 'v2' });
  assert.deepEqual(cgroupMode(V1('cpu', 1), () => ''), { mode: 'v1' });
  assert.deepEqual(cgroupMode(HYBRID, () => 'hugetlb\n'), { mode: 'hybrid', unified: '/sys/fs/cgroup/unified', controllers: ['hugetlb'] });
});

test('auto takes crun on a hybrid layout after mounting the controllers cgroup2 held as v1 hierarchies', async () => {
  let mountinfo = HYBRID;
  let controllers = 'hugetlb';
  const mounted: string[] = [];
  const r = await chooseOciRuntime('auto', {
    log: silentLogger,
    which,
    mountinfo: () => mountinfo,
    readControllers: () => controllers,
    mountV1: async (root, name) => {
      mounted.push(`${root}/${name}`);
      mountinfo += `\n${V1(name, 9)}`;
      controllers = '';
    },
  });
  assert.deepEqual(r, { name: 'crun', binary: '/usr/bin/crun' });
  assert.deepEqual(mounted, ['/sys/fs/cgroup/hugetlb']);
});

test('auto falls back to runc when crun is missing or the layout cannot be fixed; crun asked for explicitly fails instead', async () => {
  const noCrun = (bin: string) => (bin === 'crun' ? undefined : `/usr/sbin/${bin}`);
  assert.deepEqual(await chooseOciRuntime('auto', { log: silentLogger, which: noCrun }), { name: 'runc', binary: '/usr/sbin/runc' });
  const failing = { log: silentLogger, which, mountinfo: () => HYBRID, readControllers: () => 'hugetlb', mountV1: async () => { throw new Error('read-only file system'); } };
  assert.deepEqual(await chooseOciRuntime('auto', failing), { name: 'runc', binary: '/usr/bin/runc' });
  await assert.rejects(chooseOciRuntime('crun', failing), (err: Error) => err instanceof OciRuntimeError && /read-only file system/.test(err.message));
  await assert.rejects(chooseOciRuntime('crun', { log: silentLogger, which: noCrun }), /crun: is not installed/);
  assert.deepEqual(await chooseOciRuntime('runc', { log: silentLogger, which }), { name: 'runc', binary: '/usr/bin/runc' });
  // Another agent got there first: the mount fails, but the layout is right now.
  let controllers = 'hugetlb';
  const raced = { log: silentLogger, which, mountinfo: () => HYBRID, readControllers: () => controllers, mountV1: async () => { controllers = ''; throw new Error('already mounted'); } };
  assert.deepEqual(await chooseOciRuntime('crun', raced), { name: 'crun', binary: '/usr/bin/crun' });
  // A clean v1 or v2 layout needs nothing mounted.
  const noMount = { log: silentLogger, which, mountinfo: () => V1('cpu', 1), mountV1: async () => assert.fail('nothing to mount') };
  assert.deepEqual(await chooseOciRuntime('crun', noMount), { name: 'crun', binary: '/usr/bin/crun' });
});
