// `kubets proxy --cleanup` as a real process inside a private network namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand } from '../agent/run-command.js';
import { createNetNs } from '../cri/testing/netns.js';
import { installServiceRoute, SERVICE_ROUTE_TABLE } from '../network/node-routes.js';
import { Proxier } from '../proxy/proxier.js';
import { KUBETS_BIN } from '../testing/server-process.js';

test('kubets proxy --cleanup removes the proxy chains, jumps and service route, and nothing else', async () => {
  const ns = await createNetNs('kt-prx-');
  try {
    await ns.run('iptables', ['-w', '-t', 'nat', '-N', 'OTHER']);
    const svc = { metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.43.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } };
    const p = new Proxier({ nodeName: 'n1', run: ns.run, source: { services: () => [svc], endpointSlices: () => [] } });
    p.markChanged();
    await p.whenIdle();
    p.stop();
    await ns.run('ip', ['addr', 'add', '10.88.9.1/32', 'dev', 'lo']);
    await installServiceRoute('10.43.0.0/16', '10.88.9.1', ns.run);
    assert.match((await ns.run('iptables-save', [])).stdout, /KUBE-SERVICES/);

    const r = await runCommand('nsenter', [`--net=${ns.path}`, process.execPath, KUBETS_BIN, 'proxy', '--cleanup'], { allowFailure: true });
    assert.equal(r.code, 0, r.stderr);
    const after = (await ns.run('iptables-save', [])).stdout;
    assert.doesNotMatch(after, /KUBE-/);
    assert.match(after, /:OTHER - /);
    assert.equal((await ns.run('ip', ['rule', 'show', 'pref', String(SERVICE_ROUTE_TABLE)])).stdout.trim(), '');
    assert.equal((await ns.run('ip', ['route', 'show', 'table', String(SERVICE_ROUTE_TABLE)])).stdout.trim(), '');
  } finally {
    await ns.delete();
  }
});

test('kubets proxy without --kubeconfig/--node-name exits 2 with the usage', async () => {
  const r = await runCommand(process.execPath, [KUBETS_BIN, 'proxy'], { allowFailure: true });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--node-name/);
});
