// Prints TEST_TIME_SCALE for the suite on this host: how many times slower
// than a healthy machine it starts a Node.js process (about 50 ms there; an
// overloaded hypervisor has shown 1-8 s), the median of 5 starts, and never
// below SUITE_MIN_SCALE. Test deadlines are multiplied by it; see
// src/testing/time-scale.ts.
import { spawnSync } from 'node:child_process';

const HEALTHY_START_MS = 200; // four times a healthy start: ordinary noise stays at 1
const MAX_SCALE = 10;
// The measurement is taken on an idle machine, before the suite itself loads
// it with two test files at once, each with its own cluster. On an overloaded
// host an idle start has measured 1.05 and the loaded suite then ran ten times
// slower, so the whole suite never runs below this. Only deadlines that catch
// hangs and the short periods tests set stretch; a healthy run stays fast.
const SUITE_MIN_SCALE = 5;

const times = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[2];
const measured = Math.round((median / HEALTHY_START_MS) * 10) / 10;
const scale = Math.min(MAX_SCALE, Math.max(SUITE_MIN_SCALE, measured));
console.error(`time-scale: node starts in ${times.map((t) => Math.round(t)).join(', ')} ms (x${measured}); TEST_TIME_SCALE=${scale}`);
console.log(scale);
