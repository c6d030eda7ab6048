import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import type { Pod, Volume } from '../../api/core-v1.js';
import { FakeClock } from '../../util/clock.js';
import { VolumeSetupError } from '../errors.js';
import { FakeObjectSource } from '../fake-object-source.js';
import { NodeVolumeManager } from './manager.js';
import { systemMounter, type Mounter } from './mounter.js';

async function setup() {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-vol-'));
  const objects = new FakeObjectSource();
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  objects.now = () => clock.now();
  const vm = new NodeVolumeManager({ podsDir: path.join(root, 'pods'), objects, nodeName: 'n1', clock, nodeAllocatable: () => ({ cpu: '2', memory: '4Gi' }) });
  const cleanup = async () => {
    for (const uid of await vm.listPodDirs()) await vm.tearDown(uid);
    assert.deepEqual(await systemMounter.mountPointsUnder(root), []);
    await fs.rm(root, { recursive: true, force: true });
  };
  return { root, objects, clock, vm, cleanup };
}

function pod(volumes: Volume[], extra: Partial<Pod['spec']> = {}, uid = 'uid-1'): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid, labels: { app: 'x', tier: 'web' }, annotations: { a: 'b' } },
    spec: { containers: [{ name: 'c', resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } } }], volumes, ...extra },
  };
}

const read = (p: string) => fs.readFile(p, 'utf8');

test('emptyDir is a directory; medium Memory is a tmpfs with the size limit; tearDown unmounts and removes', async () => {
  const { vm, root, cleanup } = await setup();
  try {
    const paths = await vm.setUp(pod([{ name: 'scratch', emptyDir: {} }, { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }]));
    assert.ok((await fs.stat(paths.get('scratch')!)).isDirectory());
    const mem = paths.get('mem')!;
    const mounts = await fs.readFile('/proc/self/mounts', 'utf8');
    const line = mounts.split('\n').find((l) => l.split(' ')[1] === mem);
    assert.ok(line?.startsWith('tmpfs '), 'memory emptyDir is tmpfs');
    assert.match(line!, /size=8192k/);
    // setUp again is idempotent (no second mount), and need not read the mount table again.
    await vm.setUp(pod([{ name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }]));
    assert.equal((await systemMounter.mountPointsUnder(mem)).length, 1);
    await vm.tearDown('uid-1');
    assert.deepEqual(await systemMounter.mountPointsUnder(root), []);
    await assert.rejects(fs.stat(mem));
  } finally {
    await cleanup();
  }
});

test('configMap: keys become files via ..data; items/modes; updates swap contents in place', async () => {
  const { vm, objects, clock, cleanup } = await setup();
  try {
    objects.setConfigMap('ns', 'cfg', { 'a.txt': 'one', b: 'two' });
    const vols: Volume[] = [
      { name: 'all', configMap: { name: 'cfg' } },
      { name: 'some', configMap: { name: 'cfg', defaultMode: 0o600, items: [{ key: 'b', path: 'sub/bee', mode: 0o640 }, { key: 'a.txt', path: 'x' }] } },
    ];
    const paths = await vm.setUp(pod(vols));
    const all = paths.get('all')!;
    assert.equal(await read(path.join(all, 'a.txt')), 'one');
    assert.equal(await fs.readlink(path.join(all, 'a.txt')), '..data/a.txt');
    const firstData = await fs.readlink(path.join(all, '..data'));
    assert.match(firstData, /^\.\.2026_01_01_00_00_00\./);
    const some = paths.get('some')!;
    assert.equal(await read(path.join(some, 'sub/bee')), 'two');
    assert.equal((await fs.stat(path.join(some, 'sub/bee'))).mode & 0o777, 0o640);
    assert.equal((await fs.stat(path.join(some, 'x'))).mode & 0o777, 0o600);
    assert.deepEqual((await fs.readdir(some)).filter((n) => !n.startsWith('..')).sort(), ['sub', 'x']);

    // Unchanged object: nothing is rewritten.
    await vm.setUp(pod(vols));
    assert.equal(await fs.readlink(path.join(all, '..data')), firstData);

    // Changed object: new contents, a removed key disappears, the old timestamped dir is gone.
    clock.advance(5000);
    objects.setConfigMap('ns', 'cfg', { 'a.txt': 'uno', c: 'three' });
    await assert.rejects(vm.setUp(pod(vols)), (e: unknown) => e instanceof VolumeSetupError && /non-existent config key: b/.test(e.message));
    await vm.setUp(pod([vols[0]!]));
    assert.equal(await read(path.join(all, 'a.txt')), 'uno');
    assert.equal(await read(path.join(all, 'c')), 'three');
    await assert.rejects(fs.lstat(path.join(all, 'b')));
    assert.notEqual(await fs.readlink(path.join(all, '..data')), firstData);
    await assert.rejects(fs.stat(path.join(all, firstData)));
  } finally {
    await cleanup();
  }
});

test('missing configMap: optional gives an empty volume, required is a FailedMount error', async () => {
  const { vm, cleanup } = await setup();
  try {
    const paths = await vm.setUp(pod([{ name: 'o', configMap: { name: 'nope', optional: true } }]));
    assert.deepEqual((await fs.readdir(paths.get('o')!)).filter((n) => !n.startsWith('..')), []);
    await assert.rejects(vm.setUp(pod([{ name: 'r', configMap: { name: 'nope' } }])), (e: unknown) => e instanceof VolumeSetupError && e.reason === 'FailedMount' && e.volume === 'r');
  } finally {
    await cleanup();
  }
});

test('secret: decoded values on a tmpfs', async () => {
  const { vm, objects, cleanup } = await setup();
  try {
    objects.setSecret('ns', 's', { password: 'hunter2' });
    const paths = await vm.setUp(pod([{ name: 's', secret: { secretName: 's', defaultMode: 0o400 } }]));
    const dir = paths.get('s')!;
    assert.equal(await read(path.join(dir, 'password')), 'hunter2');
    assert.equal((await fs.stat(path.join(dir, 'password'))).mode & 0o777, 0o400);
    assert.deepEqual(await systemMounter.mountPointsUnder(dir), [dir]);
    assert.equal(vm.tmpfsFallbacks.size, 0);
  } finally {
    await cleanup();
  }
});

test('hostPath type checks', async () => {
  const { vm, root, cleanup } = await setup();
  try {
    const d = path.join(root, 'host', 'dir');
    const f = path.join(root, 'host', 'file');
    const sock = path.join(root, 'sock');
    const server = net.createServer().listen(sock);
    await new Promise((r) => server.once('listening', r));
    try {
      const paths = await vm.setUp(pod([
        { name: 'd', hostPath: { path: d, type: 'DirectoryOrCreate' } },
        { name: 'f', hostPath: { path: f, type: 'FileOrCreate' } },
        { name: 's', hostPath: { path: sock, type: 'Socket' } },
        { name: 'c', hostPath: { path: '/dev/null', type: 'CharDevice' } },
        { name: 'any', hostPath: { path: '/nonexistent-ok' } },
      ]));
      assert.equal(paths.get('d'), d);
      assert.ok((await fs.stat(d)).isDirectory());
      assert.ok((await fs.stat(f)).isFile());
      for (const [type, p] of [['Directory', f], ['File', d], ['Socket', f], ['BlockDevice', '/dev/null'], ['CharDevice', d], ['Directory', path.join(root, 'missing')]] as const) {
        await assert.rejects(vm.setUp(pod([{ name: 'x', hostPath: { path: p, type } }])), VolumeSetupError, `${type} ${p}`);
      }
    } finally {
      server.close();
    }
  } finally {
    await cleanup();
  }
});

test('downwardAPI: fields, label maps, resources with divisor and allocatable default', async () => {
  const { vm, cleanup } = await setup();
  try {
    const paths = await vm.setUp(pod([{ name: 'dw', downwardAPI: { items: [
      { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
      { path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } },
      { path: 'uid', fieldRef: { fieldPath: 'metadata.uid' } },
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
      { path: 'tier', fieldRef: { fieldPath: "metadata.labels['tier']" } },
      { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
      { path: 'mem_limit_mi', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
      { path: 'cpu_limit', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu' } },
      { path: 'cpu_req_m', resourceFieldRef: { containerName: 'c', resource: 'requests.cpu', divisor: '1m' } },
    ] } }]));
    const dir = paths.get('dw')!;
    assert.equal(await read(path.join(dir, 'name')), 'p');
    assert.equal(await read(path.join(dir, 'ns')), 'ns');
    assert.equal(await read(path.join(dir, 'uid')), 'uid-1');
    assert.equal(await read(path.join(dir, 'labels')), 'app="x"\ntier="web"');
    assert.equal(await read(path.join(dir, 'tier')), 'web');
    assert.equal(await read(path.join(dir, 'annotations')), 'a="b"');
    assert.equal(await read(path.join(dir, 'mem_limit_mi')), '64');
    assert.equal(await read(path.join(dir, 'cpu_limit')), '2', 'no cpu limit → node allocatable');
    assert.equal(await read(path.join(dir, 'cpu_req_m')), '250');
  } finally {
    await cleanup();
  }
});

test('projected: configMap + secret + downwardAPI + token; token refreshed at 80% of its life', async () => {
  const { vm, objects, clock, cleanup } = await setup();
  try {
    objects.setConfigMap('ns', 'kube-root-ca.crt', { 'ca.crt': 'CA' });
    objects.setSecret('ns', 'sec', { k: 'v' });
    const vols: Volume[] = [{ name: 'kube-api-access', projected: { sources: [
      { serviceAccountToken: { path: 'token', expirationSeconds: 3600, audience: 'api' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { secret: { name: 'sec' } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
    ] } }];
    const p = pod(vols, { serviceAccountName: 'robot' });
    const dir = (await vm.setUp(p)).get('kube-api-access')!;
    assert.equal(await read(path.join(dir, 'token')), 'token-1');
    assert.equal(await read(path.join(dir, 'ca.crt')), 'CA');
    assert.equal(await read(path.join(dir, 'k')), 'v');
    assert.equal(await read(path.join(dir, 'namespace')), 'ns');
    assert.deepEqual(objects.tokenRequests[0], { ns: 'ns', serviceAccount: 'robot', req: { audiences: ['api'], expirationSeconds: 3600, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'uid-1' } } });
    clock.advance(0.79 * 3600_000);
    await vm.setUp(p);
    assert.equal(objects.tokenRequests.length, 1, 'still fresh');
    clock.advance(0.02 * 3600_000);
    await vm.setUp(p);
    assert.equal(objects.tokenRequests.length, 2);
    assert.equal(await read(path.join(dir, 'token')), 'token-2');
  } finally {
    await cleanup();
  }
});

test('persistentVolumeClaim: bound claim → PV hostPath; unbound is an error', async () => {
  const { vm, objects, root, cleanup } = await setup();
  try {
    const data = path.join(root, 'storage', 'pvc-1_ns_data');
    objects.pvcs.set('ns/data', { metadata: { name: 'data', namespace: 'ns', uid: 'c1' }, spec: { volumeName: 'pv-1' }, status: { phase: 'Bound' } });
    objects.pvs.set('pv-1', { metadata: { name: 'pv-1' }, spec: { hostPath: { path: data }, claimRef: { namespace: 'ns', name: 'data', uid: 'c1' } } });
    objects.pvcs.set('ns/pending', { metadata: { name: 'pending', namespace: 'ns' }, spec: {}, status: { phase: 'Pending' } });
    const paths = await vm.setUp(pod([{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }]));
    assert.equal(paths.get('d'), data);
    assert.ok((await fs.stat(data)).isDirectory());
    await assert.rejects(vm.setUp(pod([{ name: 'd', persistentVolumeClaim: { claimName: 'pending' } }])), /not bound/);
    await assert.rejects(vm.setUp(pod([{ name: 'd', persistentVolumeClaim: { claimName: 'gone' } }])), /not found/);
  } finally {
    await cleanup();
  }
});

test('a tmpfs volume reads the mount table once, not at every sync; an agent restart finds it mounted; tearDown forgets it', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-vol-'));
  const calls: string[] = [];
  const counting: Mounter = {
    mountTmpfs: async (dir, o) => {
      calls.push('mount');
      await systemMounter.mountTmpfs(dir, o);
    },
    unmount: (dir) => systemMounter.unmount(dir),
    mountPointsUnder: (dir) => {
      calls.push('read');
      return systemMounter.mountPointsUnder(dir);
    },
  };
  const make = () => new NodeVolumeManager({ podsDir: path.join(root, 'pods'), objects: new FakeObjectSource(), nodeName: 'n1', mounter: counting });
  const vols = [{ name: 'mem', emptyDir: { medium: 'Memory' as const } }];
  try {
    const vm = make();
    for (let i = 0; i < 3; i++) await vm.setUp(pod(vols));
    assert.deepEqual(calls, ['read', 'mount']);
    calls.length = 0;
    const restarted = make();
    await restarted.setUp(pod(vols));
    await restarted.setUp(pod(vols));
    assert.deepEqual(calls, ['read'], 'found mounted, not mounted twice');
    await restarted.tearDown('uid-1');
    calls.length = 0;
    await restarted.setUp(pod(vols));
    assert.deepEqual(calls, ['read', 'mount'], 'a pod set up again after tearDown gets its tmpfs back');
    await restarted.tearDown('uid-1');
  } finally {
    assert.deepEqual(await systemMounter.mountPointsUnder(root), []);
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('listPodDirs and tearDown across pods', async () => {
  const { vm, cleanup } = await setup();
  try {
    await vm.setUp(pod([{ name: 'e', emptyDir: {} }], {}, 'a'));
    await vm.setUp(pod([{ name: 'e', emptyDir: { medium: 'Memory' } }], {}, 'b'));
    assert.deepEqual(await vm.listPodDirs(), ['a', 'b']);
    await vm.tearDown('b');
    assert.deepEqual(await vm.listPodDirs(), ['a']);
  } finally {
    await cleanup();
  }
});

test('fsGroup owns volume files (group-readable), emptyDir is setgid; the token belongs to the common runAsUser', async () => {
  const { vm, objects, cleanup } = await setup();
  try {
    objects.setConfigMap('ns', 'cfg', { k: 'v' });
    const p = pod([
      { name: 'cm', configMap: { name: 'cfg', defaultMode: 0o600 } },
      { name: 'e', emptyDir: {} },
      { name: 'tok', projected: { defaultMode: 0o600, sources: [{ serviceAccountToken: { path: 'token' } }] } },
    ], { securityContext: { fsGroup: 2000, runAsUser: 1000 } });
    const paths = await vm.setUp(p);
    const st = await fs.stat(path.join(paths.get('cm')!, 'k'));
    assert.equal(st.gid, 2000);
    assert.equal(st.mode & 0o7777, 0o640);
    const e = await fs.stat(paths.get('e')!);
    assert.equal(e.gid, 2000);
    assert.equal(e.mode & 0o7777, 0o2777);
    const t = await fs.stat(path.join(paths.get('tok')!, 'token'));
    assert.equal(t.uid, 1000);
    assert.equal(t.gid, 2000);
    assert.equal(t.mode & 0o777, 0o640);
    // Nothing changed: setUp again leaves the data where it is.
    const before = await fs.readlink(path.join(paths.get('cm')!, '..data'));
    await vm.setUp(p);
    assert.equal(await fs.readlink(path.join(paths.get('cm')!, '..data')), before);
  } finally {
    await cleanup();
  }
});
