// A node:test reporter that ends the run with one plain line CI can read:
// "tests: N passed, N failed, N skipped". Suites are not counted, only tests
// (and a suite that failed by itself, as a test file that would not load).
// Before it, the slowest test files (the sum of their top-level tests), so a
// run that nears CI's time limit says where the time went. In a shard (files
// sharing a process, see run-tests.mjs) each file is a top-level suite named
// after it.
import path from 'node:path';

const SLOWEST = 15;

export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const perFile = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details, skip, todo, nesting, name } = event.data;
    const file = event.data.file?.includes(`${path.sep}.test-shards${path.sep}`) ? name : event.data.file;
    if (nesting === 0 && file && details?.duration_ms) perFile.set(file, (perFile.get(file) ?? 0) + details.duration_ms);
    if (details?.type === 'suite' && !(event.type === 'test:fail' && details.error?.failureType !== 'subtestsFailed')) continue;
    if (skip || todo) skipped++;
    else if (event.type === 'test:pass') passed++;
    else failed++;
  }
  const slowest = [...perFile].sort((a, b) => b[1] - a[1]).slice(0, SLOWEST);
  if (slowest.length) {
    yield `slowest test files (seconds in their top-level tests):\n`;
    for (const [file, ms] of slowest) yield `  ${(ms / 1000).toFixed(1).padStart(7)}  ${path.relative(process.cwd(), file)}\n`;
  }
  yield `tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`;
}
