import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerdConfigToml, containerdLayout } from './config.js';
import { registryHostsToml, writeRegistryHosts } from './registry-hosts.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canLowerOomScoreAdj, parseCapEff, CAP_SYS_RESOURCE, hasCapability } from './capabilities.js';

test('config keeps every path under the instance dir and sets the CRI keys', () => {
  const layout = containerdLayout('/tmp/kt-x');
  const toml = containerdConfigToml({ layout, sandboxImage: 'kubets.local/pause:3.10', restrictOomScoreAdj: true });
  assert.match(toml, /^version = 2$/m);
  assert.match(toml, /^root = "\/tmp\/kt-x\/root"$/m);
  assert.match(toml, /^state = "\/tmp\/kt-x\/state"$/m);
  assert.match(toml, /\[grpc\]\n {2}address = "\/tmp\/kt-x\/containerd.sock"/);
  assert.match(toml, /\[plugins."io.containerd.internal.v1.opt"\]\n {2}path = "\/tmp\/kt-x\/opt"/);
  assert.match(toml, /sandbox_image = "kubets.local\/pause:3.10"/);
  assert.match(toml, /restrict_oom_score_adj = true/);
  assert.match(toml, /netns_mounts_under_state_dir = true/);
  assert.match(toml, /stream_server_address = "127.0.0.1"/);
  assert.match(toml, /runtime_type = "io.containerd.runc.v2"/);
  assert.match(toml, /SystemdCgroup = false\n {2}Root = "\/tmp\/kt-x\/state\/runc"/);
  assert.doesNotMatch(toml, /BinaryName/, 'runc from PATH unless told');
  assert.match(containerdConfigToml({ layout, sandboxImage: 'p', runtimeBinary: "/usr/bin/crun" }), /Root = "\/tmp\/kt-x\/state\/runc"\n {2}BinaryName = "\/usr\/bin\/crun"\n/);
  assert.match(toml, /bin_dir = "\/usr\/lib\/cni"\n {2}conf_dir = "\/tmp\/kt-x\/cni\/net.d"/);
  assert.match(toml, /config_path = "\/tmp\/kt-x\/certs.d"/);
  assert.doesNotMatch(toml, /io\.containerd\.runtime\.v1\.linux/, 'the v1 runtime plugin must stay enabled');
  const noRestrict = containerdConfigToml({ layout, sandboxImage: 'p', restrictOomScoreAdj: false });
  assert.match(noRestrict, /restrict_oom_score_adj = false/);
});

test('oom_score_adj restriction follows CAP_SYS_RESOURCE', () => {
  // This VM's mask: bit 24 clear.
  assert.equal(canLowerOomScoreAdj('Name:\tx\nCapEff:\t000001fffeffffff\n'), false);
  assert.equal(canLowerOomScoreAdj('CapEff:\t000001ffffffffff\n'), true);
  assert.equal(hasCapability(parseCapEff('CapEff:\t0000000001000000'), CAP_SYS_RESOURCE), true);
  assert.throws(() => parseCapEff('nothing'));
  const layout = containerdLayout('/d');
  const detected = containerdConfigToml({ layout, sandboxImage: 'p' });
  assert.match(detected, new RegExp(`restrict_oom_score_adj = ${!canLowerOomScoreAdj()}`));
});

test('hosts.toml for a plain-HTTP registry', () => {
  const t = registryHostsToml({ host: '127.0.0.1:5000', insecureHttp: true });
  assert.match(t, /^server = "http:\/\/127.0.0.1:5000"$/m);
  assert.match(t, /\[host."http:\/\/127.0.0.1:5000"\]\n {2}capabilities = \["pull", "resolve"\]/);
  assert.match(registryHostsToml({ host: 'r.example', skipVerify: true }), /skip_verify = true/);
});

test('writeRegistryHosts puts hosts.toml in the certs.d layout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kt-hosts-'));
  try {
    const path = writeRegistryHosts(dir, { host: '127.0.0.1:5000', insecureHttp: true });
    assert.equal(path, join(dir, '127.0.0.1:5000', 'hosts.toml'));
    assert.match(readFileSync(path, 'utf8'), /server = "http:\/\/127.0.0.1:5000"/);
    assert.deepEqual(readdirSync(join(dir, '127.0.0.1:5000')), ['hosts.toml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
