// Prints the compiled test files in the order the suite starts them: the long
// end-to-end and runtime files first, then the rest alphabetically. The runner
// starts files in the order given, two at a time, so a long file started last
// would leave one slot idle while it alone runs on (longest first keeps the
// tail short). The order below is from the summary reporter's "slowest test
// files" in full runs; a file it does not name just runs with the rest.
import fs from 'node:fs';
import path from 'node:path';

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
const rank = (f) => {
  const i = LONGEST_FIRST.findIndex((s) => f.endsWith(`/${s}`));
  return i < 0 ? LONGEST_FIRST.length : i;
};
const files = walk(root).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
process.stdout.write(files.map((f) => `${f}\n`).join(''));
