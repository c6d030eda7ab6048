import assert from 'node:assert/strict';
import { it } from 'node:test';
import { allNetns, clusterTopology, TopologyError } from './topology.js';

it('names one namespace per node plus the switch, with distinct addresses and short interface names', () => {
  const t = clusterTopology('ab12', 3);
  assert.equal(t.server.ip, '172.28.0.2');
  assert.deepEqual(t.agents.map((a) => [a.name, a.netns, a.ip]), [
    ['node-1', 'kc-ab12-node-1', '172.28.0.11'],
    ['node-2', 'kc-ab12-node-2', '172.28.0.12'],
    ['node-3', 'kc-ab12-node-3', '172.28.0.13'],
  ]);
  assert.deepEqual(allNetns(t), ['kc-ab12-server', 'kc-ab12-node-1', 'kc-ab12-node-2', 'kc-ab12-node-3', 'kc-ab12-switch']);
  const big = clusterTopology('x', 200);
  assert.equal(big.agents.at(-1)!.ip, '172.28.0.210');
  for (const n of [big.server, ...big.agents]) assert.ok(n.switchIface.length <= 15, n.switchIface);
  assert.equal(new Set(big.agents.map((a) => a.ip)).size, 200);
});

it('rejects bad ids and node counts', () => {
  assert.throws(() => clusterTopology('Bad-Id', 1), TopologyError);
  assert.throws(() => clusterTopology('ok', 0), TopologyError);
  assert.throws(() => clusterTopology('ok', 201), TopologyError);
  assert.throws(() => clusterTopology('ok', 1.5), TopologyError);
});
