import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { it } from 'node:test';
import { createNetNs } from '../cri/testing/netns.js';
import { isAlive, processesInNetns, stopProcesses } from './processes.js';

it('finds processes by network namespace and stops them', async () => {
  const ns = await createNetNs('kt-proc-');
  try {
    const child = spawn('nsenter', [`--net=${ns.path}`, 'sleep', '300'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    const pid = child.pid!;
    // nsenter has exec'd sleep once the namespace of the pid differs from ours.
    const deadline = Date.now() + 5000;
    while (!processesInNetns([ns.path]).includes(pid) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    assert.deepEqual(processesInNetns([ns.path]), [pid]);
    assert.equal(processesInNetns(['/proc/self/ns/net']).includes(pid), false);
    await stopProcesses([pid], 5000);
    await exited;
    assert.equal(isAlive(pid), false);
    assert.deepEqual(processesInNetns([ns.path]), []);
  } finally {
    await ns.delete();
  }
});
