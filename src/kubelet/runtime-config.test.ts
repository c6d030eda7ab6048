import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Container, Pod } from '../api/core-v1.js';
import { CreateContainerConfigError } from './errors.js';
import { FakeObjectSource } from './fake-object-source.js';
import { PodRuntimeConfigBuilder } from './runtime-config.js';
import { CRI_ANNOTATIONS, CRI_LABELS, type ContainerContext } from './seams.js';
import { DEFAULT_MASKED_PATHS } from './config/security.js';

async function setup() {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'kt-rc-'));
  const objects = new FakeObjectSource();
  const resolv = path.join(root, 'resolv.conf');
  await fs.writeFile(resolv, 'nameserver 1.1.1.1\nnameserver 8.8.8.8\nsearch corp.example lab.example\noptions edns0\n');
  const hosts = path.join(root, 'hosts');
  await fs.writeFile(hosts, '127.0.0.1 localhost\n192.0.2.5 node-1\n');
  const cgroupCalls: string[] = [];
  const builder = new PodRuntimeConfigBuilder({
    podsDir: path.join(root, 'pods'),
    logRoot: path.join(root, 'logs'),
    objects,
    nodeAllocatable: () => ({ cpu: '4', memory: '8Gi' }),
    resolvConfPath: resolv,
    hostsPath: hosts,
    cgroups: { ensure: async (p) => { cgroupCalls.push(`ensure ${p.metadata.uid}`); return `/kubepods/burstable/pod${p.metadata.uid}`; }, remove: async (uid) => { cgroupCalls.push(`remove ${uid}`); } },
  });
  return { root, objects, builder, cgroupCalls, cleanup: () => fs.rm(root, { recursive: true, force: true }) };
}

function mkPod(spec: Partial<Pod['spec']> = {}, containers: Container[] = [{ name: 'app', image: 'busybox' }]): Pod {
  return { metadata: { name: 'web-0', namespace: 'shop', uid: 'u1', labels: { app: 'web' }, annotations: { note: 'n' } }, spec: { containers, ...spec } };
}

const ctx = (over: Partial<ContainerContext> = {}): ContainerContext => ({ podIP: '10.42.0.7', podIPs: ['10.42.0.7'], hostIP: '192.0.2.5', volumes: new Map(), restartCount: 0, type: 'regular', ...over });

test('sandbox config: metadata, hostname, log dir, labels, ports, cgroup, namespaces, sysctls', async () => {
  const { builder, cgroupCalls, root, cleanup } = await setup();
  try {
    const pod = mkPod({ hostname: 'h', subdomain: 'sub', shareProcessNamespace: true, securityContext: { runAsUser: 1000, fsGroup: 2000, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] } },
      [{ name: 'app', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, protocol: 'UDP', hostPort: 5353, hostIP: '127.0.0.1' }, { containerPort: 9000 }] }]);
    const cfg = await builder.sandboxConfig(pod, { attempt: 2 });
    assert.deepEqual(cfg.metadata, { name: 'web-0', namespace: 'shop', uid: 'u1', attempt: 2 });
    assert.equal(cfg.hostname, 'h');
    assert.equal(cfg.log_directory, path.join(root, 'logs', 'shop_web-0_u1'));
    assert.ok((await fs.stat(cfg.log_directory)).isDirectory());
    assert.equal(cfg.labels[CRI_LABELS.podUid], 'u1');
    assert.equal(cfg.labels.app, 'web');
    assert.deepEqual(cfg.port_mappings, [
      { protocol: 'TCP', container_port: 80, host_port: 8080, host_ip: '' },
      { protocol: 'UDP', container_port: 53, host_port: 5353, host_ip: '127.0.0.1' },
    ]);
    assert.equal(cfg.linux?.cgroup_parent, '/kubepods/burstable/podu1');
    assert.deepEqual(cgroupCalls, ['ensure u1']);
    assert.deepEqual(cfg.linux?.security_context?.namespace_options, { network: 'POD', pid: 'POD', ipc: 'POD' });
    assert.deepEqual(cfg.linux?.security_context?.run_as_user, { value: '1000' });
    assert.deepEqual(cfg.linux?.security_context?.supplemental_groups, ['2000']);
    assert.deepEqual(cfg.linux?.sysctls, { 'net.core.somaxconn': '1024' });

    const host = await builder.sandboxConfig(mkPod({ hostNetwork: true, hostPID: true, hostIPC: true }), { attempt: 0 });
    assert.equal(host.hostname, '');
    assert.deepEqual(host.linux?.security_context?.namespace_options, { network: 'NODE', pid: 'NODE', ipc: 'NODE' });
  } finally {
    await cleanup();
  }
});

test('DNS per dnsPolicy, merged with dnsConfig', async () => {
  const { builder, cleanup } = await setup();
  try {
    const dns = async (spec: Partial<Pod['spec']>) => (await builder.sandboxConfig(mkPod(spec), { attempt: 0 })).dns_config;
    assert.deepEqual(await dns({}), {
      servers: ['10.43.0.10'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
      options: ['ndots:5'],
    });
    assert.deepEqual(await dns({ dnsPolicy: 'Default' }), { servers: ['1.1.1.1', '8.8.8.8'], searches: ['corp.example', 'lab.example'], options: ['edns0'] });
    assert.deepEqual(await dns({ dnsPolicy: 'ClusterFirst', hostNetwork: true }), { servers: ['1.1.1.1', '8.8.8.8'], searches: ['corp.example', 'lab.example'], options: ['edns0'] });
    assert.deepEqual((await dns({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true }))?.servers, ['10.43.0.10']);
    assert.deepEqual(await dns({ dnsPolicy: 'None', dnsConfig: { nameservers: ['9.9.9.9'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }] } }), {
      servers: ['9.9.9.9'], searches: ['a.example'], options: ['ndots:2', 'rotate'],
    });
    assert.deepEqual(await dns({ dnsConfig: { nameservers: ['10.43.0.10', '9.9.9.9'], searches: ['svc.cluster.local', 'x.example'], options: [{ name: 'ndots', value: '1' }, { name: 'edns0' }] } }), {
      servers: ['10.43.0.10', '9.9.9.9'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example', 'x.example'],
      options: ['ndots:1', 'edns0'],
    });
  } finally {
    await cleanup();
  }
});

test('env: service links, then envFrom with prefix, then env with refs and $(VAR) expansion', async () => {
  const { builder, objects, cleanup } = await setup();
  try {
    objects.services.set('default', [{ metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.43.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } }]);
    objects.services.set('shop', [
      { metadata: { name: 'redis-main', namespace: 'shop' }, spec: { clusterIP: '10.43.0.20', ports: [{ port: 6379 }] } },
      { metadata: { name: 'headless', namespace: 'shop' }, spec: { clusterIP: 'None', ports: [{ port: 1 }] } },
    ]);
    objects.setConfigMap('shop', 'cfg', { MODE: 'prod', LEVEL: 'debug', 'bad=key': 'x' });
    objects.setSecret('shop', 'sec', { token: 's3cret' });
    const c: Container = {
      name: 'app',
      command: ['/bin/$(CMD)', '$$(NOT)'],
      args: ['--mode=$(CFG_MODE)', '$(UNKNOWN)'],
      envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'cfg' } }, { secretRef: { name: 'missing', optional: true } }],
      env: [
        { name: 'CMD', value: 'server' },
        { name: 'CFG_LEVEL', value: 'info' },
        { name: 'URL', value: 'http://$(REDIS_MAIN_SERVICE_HOST):$(REDIS_MAIN_SERVICE_PORT)/$(CMD)' },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'sec', key: 'token' } } },
        { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nope', optional: true } } },
      ],
    };
    const cfg = await builder.containerConfig(mkPod({}, [c]), c, ctx());
    const env = cfg.envs.map((e) => `${e.key}=${e.value}`);
    assert.deepEqual(env, [
      'KUBERNETES_SERVICE_HOST=10.43.0.1', 'KUBERNETES_SERVICE_PORT=443', 'KUBERNETES_SERVICE_PORT_HTTPS=443',
      'KUBERNETES_PORT=tcp://10.43.0.1:443', 'KUBERNETES_PORT_443_TCP=tcp://10.43.0.1:443', 'KUBERNETES_PORT_443_TCP_PROTO=tcp',
      'KUBERNETES_PORT_443_TCP_PORT=443', 'KUBERNETES_PORT_443_TCP_ADDR=10.43.0.1',
      'REDIS_MAIN_SERVICE_HOST=10.43.0.20', 'REDIS_MAIN_SERVICE_PORT=6379', 'REDIS_MAIN_PORT=tcp://10.43.0.20:6379',
      'REDIS_MAIN_PORT_6379_TCP=tcp://10.43.0.20:6379', 'REDIS_MAIN_PORT_6379_TCP_PROTO=tcp', 'REDIS_MAIN_PORT_6379_TCP_PORT=6379',
      'REDIS_MAIN_PORT_6379_TCP_ADDR=10.43.0.20',
      'CFG_MODE=prod', 'CFG_LEVEL=info', 'CMD=server', 'URL=http://10.43.0.20:6379/server', 'POD=web-0', 'APP=web',
      'IP=10.42.0.7', 'HOST=192.0.2.5', 'MEM_MI=8192', 'TOKEN=s3cret',
    ]);
    assert.deepEqual(cfg.command, ['/bin/server', '$(NOT)']);
    assert.deepEqual(cfg.args, ['--mode=prod', '$(UNKNOWN)']);

    // Service links off: only the master service's variables.
    const off = await builder.containerConfig(mkPod({ enableServiceLinks: false }, [{ name: 'a' }]), { name: 'a' }, ctx());
    assert.ok(off.envs.every((e) => e.key.startsWith('KUBERNETES_')) && off.envs.length === 8);
  } finally {
    await cleanup();
  }
});

test('env: a missing required configMap key is CreateContainerConfigError', async () => {
  const { builder, objects, cleanup } = await setup();
  try {
    objects.setConfigMap('shop', 'cfg', { a: '1' });
    for (const env of [
      [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'b' } } }],
      [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'b' } } }],
      [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'b' } } }],
    ]) {
      const c: Container = { name: 'app', env };
      await assert.rejects(builder.containerConfig(mkPod({}, [c]), c, ctx()), (e: unknown) => e instanceof CreateContainerConfigError && e.reason === 'CreateContainerConfigError');
    }
    const c: Container = { name: 'app', envFrom: [{ configMapRef: { name: 'absent' } }] };
    await assert.rejects(builder.containerConfig(mkPod({}, [c]), c, ctx()), CreateContainerConfigError);
  } finally {
    await cleanup();
  }
});

test('resources and oom_score_adj per QoS', async () => {
  const { builder, cleanup } = await setup();
  try {
    const res = async (containers: Container[], i = 0) => (await builder.containerConfig(mkPod({}, containers), containers[i]!, ctx())).linux!.resources!;
    const guaranteed = await res([{ name: 'a', resources: { limits: { cpu: '500m', memory: '128Mi' } } }]);
    assert.deepEqual(guaranteed, { cpu_shares: '512', cpu_period: '100000', cpu_quota: '50000', memory_limit_in_bytes: String(128 * 1024 * 1024), oom_score_adj: '-997' });
    const best = await res([{ name: 'a' }]);
    assert.deepEqual(best, { cpu_shares: '2', cpu_period: '100000', cpu_quota: '0', memory_limit_in_bytes: '0', oom_score_adj: '1000' });
    // Burstable: 1000 - 1000*request/capacity (8Gi): 2Gi → 750.
    const burst = await res([{ name: 'a', resources: { requests: { cpu: '1m', memory: '2Gi' } } }]);
    assert.equal(burst.oom_score_adj, '750');
    assert.equal(burst.cpu_shares, '2');
    assert.equal((await res([{ name: 'a', resources: { requests: { memory: '8Gi' } } }])).oom_score_adj, '3');
    assert.equal((await res([{ name: 'a', resources: { requests: { memory: '1' } } }])).oom_score_adj, '999');
    assert.equal((await res([{ name: 'a', resources: { limits: { cpu: '1m' } } }, { name: 'b' }])).cpu_quota, '1000', 'quota has a floor of 1000');
  } finally {
    await cleanup();
  }
});

test('security context mapping', async () => {
  const { builder, cleanup } = await setup();
  try {
    const sec = async (pod: Pod) => (await builder.containerConfig(pod, pod.spec.containers[0]!, ctx())).linux!.security_context!;
    const s = await sec(mkPod({ securityContext: { runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000] } }, [
      { name: 'a', securityContext: { runAsGroup: 5000, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } } },
    ]));
    assert.deepEqual(s.run_as_user, { value: '1000' });
    assert.deepEqual(s.run_as_group, { value: '5000' });
    assert.deepEqual(s.supplemental_groups, ['4000']);
    assert.equal(s.readonly_rootfs, true);
    assert.equal(s.no_new_privs, true);
    assert.equal(s.privileged, false);
    assert.deepEqual(s.capabilities, { add_capabilities: ['NET_ADMIN'], drop_capabilities: ['ALL'] });
    assert.deepEqual(s.masked_paths, DEFAULT_MASKED_PATHS);
    assert.ok(s.readonly_paths?.includes('/proc/sys'));
    const p = await sec(mkPod({}, [{ name: 'a', securityContext: { privileged: true } }]));
    assert.equal(p.privileged, true);
    assert.equal(p.masked_paths, undefined);
    assert.equal(p.no_new_privs, false);
    await assert.rejects(sec(mkPod({ securityContext: { runAsNonRoot: true } }, [{ name: 'a', securityContext: { runAsUser: 0 } }])), CreateContainerConfigError);
  } finally {
    await cleanup();
  }
});

test('mounts: volumes with subPath/subPathExpr, /etc/hosts, termination log, labels and annotations', async () => {
  const { builder, root, cgroupCalls, cleanup } = await setup();
  try {
    const vol = path.join(root, 'vol');
    await fs.mkdir(vol);
    const c: Container = {
      name: 'app',
      image: 'busybox',
      env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      volumeMounts: [
        { name: 'data', mountPath: '/data', readOnly: true },
        { name: 'data', mountPath: '/logs', subPathExpr: 'logs/$(POD)', mountPropagation: 'HostToContainer' },
      ],
      terminationMessagePolicy: 'FallbackToLogsOnError',
    };
    const pod = mkPod({ subdomain: 'web', hostAliases: [{ ip: '192.0.2.9', hostnames: ['db', 'db.local'] }], terminationGracePeriodSeconds: 10 }, [c]);
    const cfg = await builder.containerConfig(pod, c, ctx({ volumes: new Map([['data', vol]]), restartCount: 3 }));
    const tlog = builder.terminationLogPath('u1', 'app', 3);
    assert.deepEqual(cfg.mounts, [
      { container_path: '/data', host_path: vol, readonly: true, propagation: 'PROPAGATION_PRIVATE' },
      { container_path: '/logs', host_path: path.join(vol, 'logs/web-0'), readonly: false, propagation: 'PROPAGATION_HOST_TO_CONTAINER' },
      { container_path: '/etc/hosts', host_path: path.join(root, 'pods/u1/etc-hosts'), readonly: false },
      { container_path: '/dev/termination-log', host_path: tlog, readonly: false },
    ]);
    assert.ok((await fs.stat(path.join(vol, 'logs/web-0'))).isDirectory());
    const hosts = await fs.readFile(path.join(root, 'pods/u1/etc-hosts'), 'utf8');
    assert.match(hosts, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
    assert.match(hosts, /\n10\.42\.0\.7\tweb-0\.web\.shop\.svc\.cluster\.local\tweb-0\n/);
    assert.match(hosts, /# Entries added by HostAliases\.\n192\.0\.2\.9\tdb\tdb\.local\n$/);
    assert.equal(await fs.readFile(tlog, 'utf8'), '');
    assert.equal(cfg.log_path, 'app/3.log');
    assert.deepEqual(cfg.metadata, { name: 'app', attempt: 3 });
    assert.equal(cfg.labels[CRI_LABELS.containerName], 'app');
    assert.equal(cfg.labels[CRI_LABELS.managedBy], 'true');
    assert.equal(cfg.annotations[CRI_ANNOTATIONS.restartCount], '3');
    assert.equal(cfg.annotations[CRI_ANNOTATIONS.terminationMessagePath], '/dev/termination-log');
    assert.equal(cfg.annotations[CRI_ANNOTATIONS.terminationMessagePolicy], 'FallbackToLogsOnError');
    assert.equal(cfg.annotations[CRI_ANNOTATIONS.terminationLogHostPath], tlog);
    assert.equal(cfg.annotations[CRI_ANNOTATIONS.podTerminationGracePeriod], '10');
    assert.equal(cfg.annotations[CRI_ANNOTATIONS.containerType], 'regular');
    // The hash is stable and follows the spec.
    const again = await builder.containerConfig(pod, c, ctx({ volumes: new Map([['data', vol]]) }));
    assert.equal(again.annotations[CRI_ANNOTATIONS.containerHash], cfg.annotations[CRI_ANNOTATIONS.containerHash]);
    const changed = { ...c, image: 'busybox:2' };
    assert.notEqual((await builder.containerConfig(mkPod({}, [changed]), changed, ctx({ volumes: new Map([['data', vol]]) }))).annotations[CRI_ANNOTATIONS.containerHash], cfg.annotations[CRI_ANNOTATIONS.containerHash]);

    // Bad subPath, unknown volume, Bidirectional without privilege.
    for (const m of [{ name: 'data', mountPath: '/x', subPath: '../etc' }, { name: 'nope', mountPath: '/x' }, { name: 'data', mountPath: '/x', mountPropagation: 'Bidirectional' as const }]) {
      const bad: Container = { name: 'b', volumeMounts: [m] };
      await assert.rejects(builder.containerConfig(mkPod({}, [bad]), bad, ctx({ volumes: new Map([['data', vol]]) })), CreateContainerConfigError);
    }

    // hostNetwork pods get the node's hosts file.
    const hn = mkPod({ hostNetwork: true }, [{ name: 'h' }]);
    await builder.containerConfig(hn, hn.spec.containers[0]!, ctx({ podIP: '192.0.2.5', podIPs: ['192.0.2.5'] }));
    assert.match(await fs.readFile(path.join(root, 'pods/u1/etc-hosts'), 'utf8'), /host network[\s\S]*192\.0\.2\.5 node-1/);

    await builder.releasePod('u1');
    assert.deepEqual(cgroupCalls.filter((x) => x.startsWith('remove')), ['remove u1']);
    await assert.rejects(fs.stat(tlog));
  } finally {
    await cleanup();
  }
});

test('configMap/secret/downwardAPI/projected volumes and readOnly claims are mounted read-only', async () => {
  const { builder, root, cleanup } = await setup();
  try {
    const c: Container = { name: 'app', volumeMounts: ['cm', 'sec', 'claim', 'rwclaim', 'scratch'].map((name) => ({ name, mountPath: `/${name}` })) };
    const pod = mkPod({ volumes: [
      { name: 'cm', configMap: { name: 'x' } },
      { name: 'sec', secret: { secretName: 'x' } },
      { name: 'claim', persistentVolumeClaim: { claimName: 'x', readOnly: true } },
      { name: 'rwclaim', persistentVolumeClaim: { claimName: 'y' } },
      { name: 'scratch', emptyDir: {} },
    ] }, [c]);
    const volumes = new Map(['cm', 'sec', 'claim', 'rwclaim', 'scratch'].map((n) => [n, root]));
    const cfg = await builder.containerConfig(pod, c, ctx({ volumes }));
    assert.deepEqual(cfg.mounts.slice(0, 5).map((m) => [m.container_path, m.readonly]), [['/cm', true], ['/sec', true], ['/claim', true], ['/rwclaim', false], ['/scratch', false]]);
  } finally {
    await cleanup();
  }
});
