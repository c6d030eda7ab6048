// Unit tests of the /proc and mountinfo readers with canned inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { descendants, shimsOf, type ProcInfo } from './processes.js';
import { mountPoints, mountsUnder } from './mounts.js';
import { cgroupMounts } from './cgroups.js';
import { normalizeDockerName } from './images/archive.js';
import { grpcCodeName } from '../cri/grpc-status.js';

const table: ProcInfo[] = [
  { pid: 10, ppid: 1, argv: ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'k8s.io', '-id', 'a', '-address', '/tmp/kt-1/c/containerd.sock'] },
  { pid: 11, ppid: 10, argv: ['/pause'] },
  { pid: 12, ppid: 10, argv: ['sh'] },
  { pid: 13, ppid: 12, argv: ['sleep', '9'] },
  { pid: 20, ppid: 1, argv: ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'k8s.io', '-id', 'b', '-address', '/tmp/kt-2/c/containerd.sock'] },
  { pid: 21, ppid: 20, argv: ['/pause'] },
  { pid: 30, ppid: 1, argv: ['node', '-address', '/tmp/kt-1/c/containerd.sock'] },
];

test('shimsOf picks only the shims of one containerd socket', () => {
  assert.deepEqual(shimsOf('/tmp/kt-1/c/containerd.sock', table).map((p) => p.pid), [10]);
  assert.deepEqual(shimsOf('/tmp/kt-1/c/containerd.sock.other', table), []);
});

test('descendants walks the whole subtree', () => {
  assert.deepEqual(descendants(10, table).map((p) => p.pid).sort(), [11, 12, 13]);
  assert.deepEqual(descendants(13, table), []);
});

const mountinfo = [
  '22 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '33 31 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
  '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd',
  '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
  '90 22 0:50 / /tmp/kt-1/c/state/io.containerd.runtime.v2.task/k8s.io/abc/rootfs rw - overlay overlay rw',
  '91 22 0:4 net:[4026532] /tmp/kt-1/c/state/netns/cni-1 rw - nsfs nsfs rw',
  '92 22 0:51 / /tmp/kt-10/x rw - tmpfs tmpfs rw',
  '93 22 0:52 / /tmp/kt-1/with\\040space rw - tmpfs tmpfs rw',
].join('\n');

test('mountsUnder matches the directory and below, not siblings with the same prefix', () => {
  assert.ok(mountPoints(mountinfo).includes('/tmp/kt-1/with space'), 'octal escapes decoded');
  assert.deepEqual(mountsUnder('/tmp/kt-1', mountinfo).sort(), [
    '/tmp/kt-1/c/state/io.containerd.runtime.v2.task/k8s.io/abc/rootfs',
    '/tmp/kt-1/c/state/netns/cni-1',
    '/tmp/kt-1/with space',
  ]);
  assert.deepEqual(mountsUnder('/tmp/kt-1/', mountinfo).length, 3);
});

test('cgroupMounts keys hierarchies as /proc/PID/cgroup names them', () => {
  const m = cgroupMounts(mountinfo);
  assert.equal(m.get('cpu'), '/sys/fs/cgroup/cpu');
  assert.equal(m.get('cpu,cpuacct'), '/sys/fs/cgroup/cpu,cpuacct');
  assert.equal(m.get('name=systemd'), '/sys/fs/cgroup/systemd');
  assert.equal(m.get(''), '/sys/fs/cgroup/unified');
  assert.equal(m.size, 4);
});

test('docker-archive tags get containerd full names', () => {
  assert.equal(normalizeDockerName('busybox:1'), 'docker.io/library/busybox:1');
  assert.equal(normalizeDockerName('me/app:2'), 'docker.io/me/app:2');
  assert.equal(normalizeDockerName('127.0.0.1:5000/app:2'), '127.0.0.1:5000/app:2');
  assert.equal(normalizeDockerName('localhost/app:2'), 'localhost/app:2');
  assert.equal(normalizeDockerName('kubets.local/busybox:1.35'), 'kubets.local/busybox:1.35');
});

test('gRPC status codes map to CamelCase names', () => {
  assert.equal(grpcCodeName(5), 'NotFound');
  assert.equal(grpcCodeName(4), 'DeadlineExceeded');
  assert.equal(grpcCodeName(14), 'Unavailable');
  assert.equal(grpcCodeName(99), 'Unknown');
  assert.equal(grpcCodeName(undefined), 'Unknown');
});
