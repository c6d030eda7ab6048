import assert from 'node:assert/strict';
import { it } from 'node:test';
import { agentSettings, FlagError } from './agent-flags.js';

const base = { 'node-ip': '172.28.0.11', 'node-name': 'node-1' };

it('defaults the pod network to host-gw and pods to /kubepods', () => {
  const s = agentSettings(base, '/tmp/x');
  assert.equal(s.podNetwork, 'host-gw');
  assert.equal(s.cgroupRoot, undefined);
});

it('takes --pod-network none and a --cgroup-root, and rejects bad values', () => {
  const s = agentSettings({ ...base, 'pod-network': 'none', 'cgroup-root': '/kubets-cluster-ab/node-1' }, '/tmp/x');
  assert.equal(s.podNetwork, 'none');
  assert.equal(s.cgroupRoot, '/kubets-cluster-ab/node-1');
  assert.throws(() => agentSettings({ ...base, 'pod-network': 'vxlan' }, '/tmp/x'), FlagError);
  assert.throws(() => agentSettings({ ...base, 'cgroup-root': 'relative' }, '/tmp/x'), FlagError);
  assert.throws(() => agentSettings({ ...base, 'cgroup-root': '/a/../b' }, '/tmp/x'), FlagError);
});

it('takes --oci-runtime auto (the default), crun or runc, and rejects anything else', () => {
  assert.equal(agentSettings(base, '/tmp/x').ociRuntime, 'auto');
  assert.equal(agentSettings({ ...base, 'oci-runtime': 'runc' }, '/tmp/x').ociRuntime, 'runc');
  assert.throws(() => agentSettings({ ...base, 'oci-runtime': 'kata' }, '/tmp/x'), /invalid --oci-runtime kata: want one of auto, runc, crun/);
});
