import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cniConflist, writeCniConflist, CNI_CONFLIST_FILE } from './conflist.js';
import { writeFileSync } from 'node:fs';
import { removeCniResultsUnder } from './result-cache.js';

test('conflist: bridge with host-local IPAM on the podCIDR, then portmap with snat', () => {
  const c = cniConflist({ podCIDR: '10.42.3.0/24', ipamDataDir: '/d/ipam' }) as { cniVersion: string; plugins: any[] };
  assert.equal(c.cniVersion, '1.0.0');
  const [bridge, portmap] = c.plugins;
  assert.equal(bridge.type, 'bridge');
  assert.equal(bridge.bridge, 'cni0');
  assert.equal(bridge.isGateway, true);
  assert.deepEqual(bridge.ipam.ranges, [[{ subnet: '10.42.3.0/24' }]]);
  assert.equal(bridge.ipam.type, 'host-local');
  assert.equal(bridge.ipam.dataDir, '/d/ipam');
  assert.deepEqual(portmap, { type: 'portmap', capabilities: { portMappings: true }, snat: true });
  assert.equal(c.plugins.length, 2, 'no loopback plugin: containerd sets up lo itself');
});

test('writeCniConflist writes atomically inside the conf dir and leaves no temp file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kt-cni-'));
  try {
    const confDir = join(dir, 'net.d');
    const path = writeCniConflist(confDir, { podCIDR: '10.88.0.0/24', ipamDataDir: join(dir, 'ipam') });
    assert.equal(path, join(confDir, CNI_CONFLIST_FILE));
    assert.deepEqual(readdirSync(confDir), [CNI_CONFLIST_FILE]);
    const parsed = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(parsed.plugins[0].ipam.ranges[0][0].subnet, '10.88.0.0/24');
    writeCniConflist(confDir, { podCIDR: '10.88.1.0/24', ipamDataDir: join(dir, 'ipam') });
    assert.deepEqual(readdirSync(confDir), [CNI_CONFLIST_FILE]);
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).plugins[0].ipam.ranges[0][0].subnet, '10.88.1.0/24');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CNI result cache: only entries whose netns lies under the state dir are removed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kt-cni-'));
  try {
    const entry = (netns: string) => JSON.stringify({ kind: 'cniCacheV1', result: { interfaces: [{ name: 'eth0', sandbox: netns }] } });
    writeFileSync(join(dir, 'kubets-a-eth0'), entry('/tmp/kt-1/c/state/io.containerd.grpc.v1.cri/netns/cni-1'));
    writeFileSync(join(dir, 'cni-loopback-a-lo'), entry('/tmp/kt-1/c/state/io.containerd.grpc.v1.cri/netns/cni-1'));
    writeFileSync(join(dir, 'kubets-b-eth0'), entry('/tmp/kt-10/c/state/io.containerd.grpc.v1.cri/netns/cni-2'));
    writeFileSync(join(dir, 'other-c-eth0'), entry('/var/run/netns/cni-3'));
    assert.equal(removeCniResultsUnder('/tmp/kt-1/c/state', dir), 2);
    assert.deepEqual(readdirSync(dir).sort(), ['kubets-b-eth0', 'other-c-eth0']);
    assert.equal(removeCniResultsUnder('/nowhere', join(dir, 'missing')), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
