// Runs the compiled test files with node:test, CONCURRENCY at a time, the long
// end-to-end and runtime files first, then the rest alphabetically: a long
// file started last would leave the other slots idle while it alone runs on.
// (`node --test` sorts the files it is given; run() keeps their order.) The
// order below is from the summary reporter's "slowest test files" in full
// runs; a file it does not name just runs with the rest. Reports with the spec
// reporter and then the summary reporter, both to stdout; exits 1 if a test failed.
//   node scripts/run-tests.mjs [DIR=dist/src] [CONCURRENCY=2]
import fs from 'node:fs';
import path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import summary from './summary-reporter.mjs';

const LONGEST_FIRST = [
  'apiserver/e2e/kubectl.test.js',
  'kubelet/e2e/agent.test.js',
  'cluster/e2e/cluster.test.js',
  'kubelet/e2e/node.test.js',
  'kubelet/server/streams.containerd.test.js',
  'controllers/e2e/cluster.test.js',
  'kubelet/kubelet.containerd.test.js',
  'storage/etcd.test.js',
  'dns/e2e/pod-dns.test.js',
  'apiserver/e2e/server.test.js',
  'proxy/proxy.containerd.test.js',
  'cri/testing/containerd-harness.test.js',
  'cri/grpc-client.test.js',
  'kubelet/runtime-config.component.test.js',
];

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.test.js') ? [p] : [];
  });
}

const root = process.argv[2] ?? 'dist/src';
const concurrency = Number(process.argv[3] ?? 2);
const rank = (f) => {
  const i = LONGEST_FIRST.findIndex((s) => f.endsWith(`/${s}`));
  return i < 0 ? LONGEST_FIRST.length : i;
};
const files = walk(root).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
if (!files.length || !(concurrency >= 1)) {
  console.error(`run-tests: no test files under ${root}, or a bad concurrency (${process.argv[3]})`);
  process.exit(2);
}

const stream = run({ files: files.map((f) => path.resolve(f)), concurrency });
stream.on('test:fail', (data) => {
  if (!data.todo) process.exitCode = 1;
});
stream.compose(spec).pipe(process.stdout);
stream.compose(summary).pipe(process.stdout);
