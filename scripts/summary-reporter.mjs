// A node:test reporter that ends the run with one plain line CI can read:
// "tests: N passed, N failed, N skipped". Suites are not counted, only tests.
// Before it, the slowest test files (the sum of their top-level tests), so a
// run that nears CI's time limit says where the time went.
import path from 'node:path';

const SLOWEST = 15;

export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const perFile = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details, skip, todo, nesting, file } = event.data;
    if (nesting === 0 && file && details?.duration_ms) perFile.set(file, (perFile.get(file) ?? 0) + details.duration_ms);
    if (details?.type === 'suite') continue;
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
