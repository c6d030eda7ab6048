// A node:test reporter that ends the run with one plain line CI can read:
// "tests: N passed, N failed, N skipped". Suites are not counted, only tests.
export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details, skip, todo } = event.data;
    if (details?.type === 'suite') continue;
    if (skip || todo) skipped++;
    else if (event.type === 'test:pass') passed++;
    else failed++;
  }
  yield `tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`;
}
