// Prints TEST_TIME_SCALE for this host: how many times slower than a healthy
// machine it starts a Node.js process (about 50 ms there; an overloaded
// hypervisor has shown 1-3 s). Test deadlines are multiplied by it; see
// src/testing/time-scale.ts. Measured, never guessed: the median of 5 starts.
import { spawnSync } from 'node:child_process';

const HEALTHY_START_MS = 200; // four times a healthy start: ordinary noise stays at 1
const MAX_SCALE = 10;

const times = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[2];
const scale = Math.min(MAX_SCALE, Math.max(1, Math.round((median / HEALTHY_START_MS) * 10) / 10));
console.error(`time-scale: node starts in ${times.map((t) => Math.round(t)).join(', ')} ms; TEST_TIME_SCALE=${scale}`);
console.log(scale);
