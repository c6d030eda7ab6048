// `kubets sim` in-process against the test API server: flags, the control
// file re-read on SIGUSR1, and a clean stop on SIGTERM. Signals are emitted
// on this process's emitter only; nothing is really sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startTestControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import { waitFor } from '../testing/wait-for.js';
import { simCommand } from './sim.js';

let cp: TestControlPlane;

before(async () => {
  cp = await startTestControlPlane({ datastore: 'memory' });
});

after(async () => {
  await cp?.stop();
});

const renewTime = async (node: string) => (await cp.client.leases.get('kube-node-lease', node)).spec?.renewTime ?? '';

async function renewals(node: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const seen = await renewTime(node);
    await waitFor(async () => (await renewTime(node)) > seen, { what: `a renewal of ${node}`, timeoutMs: 5000 });
  }
}

test('kubets sim registers nodes, obeys the control file on SIGUSR1, and stops on SIGTERM', async () => {
  const control = path.join(cp.dataDir, 'sim-control.json');
  fs.writeFileSync(control, '{"stopped":[]}');
  const args = ['--kubeconfig', cp.server.kubeconfigPath, '--nodes', '2', '--name-prefix', 'cli-', '--cpu', '8', '--lease-period', '200ms', '--control-file', control, '--log-level', 'error'];
  const exit = simCommand().run(args);
  await waitFor(async () => (await cp.client.nodes.list(undefined, { labelSelector: 'type=kwok' })).items.length === 2, { what: 'two nodes' });
  const node = await cp.client.nodes.get(undefined, 'cli-1');
  assert.equal(node.status?.capacity?.cpu, '8');

  fs.writeFileSync(control, '{"stopped":["cli-1"]}');
  process.emit('SIGUSR1', 'SIGUSR1');
  await renewals('cli-0', 2);
  const frozen = await renewTime('cli-1');
  await renewals('cli-0', 2);
  assert.equal(await renewTime('cli-1'), frozen, 'the stopped node no longer renews');

  process.emit('SIGTERM', 'SIGTERM');
  assert.equal(await exit, 0);
});

test('kubets sim rejects bad flags', async () => {
  assert.equal(await simCommand().run(['--kubeconfig', 'x', '--pods', '0']), 2);
  assert.equal(await simCommand().run(['--kubeconfig', 'x', '--nodes', 'two']), 2);
  assert.equal(await simCommand().run(['--kubeconfig', 'x', '--lease-period', 'soon']), 2);
});

test('kubets sim fails with 1 when no node can register', async () => {
  // The test server's kubeconfig, pointed at a port nothing listens on.
  const dead = path.join(cp.dataDir, 'dead-kubeconfig.yaml');
  fs.writeFileSync(dead, fs.readFileSync(cp.server.kubeconfigPath, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1'));
  assert.equal(await simCommand().run(['--kubeconfig', dead, '--nodes', '1', '--log-level', 'error']), 1);
});
