// Runs the etcd storage benchmark alone against a fresh local etcd:
//   npx tsc -p . && node dist/bench/storage-etcd-main.js [--members 3] [--disk]
// --disk puts etcd's data on the OS temp dir (real fsync) instead of /dev/shm.
import os from 'node:os';
import { startEtcdCluster } from '../src/storage/testing/etcd-harness.js';
import { benchEtcd } from './storage-etcd.js';

const args = process.argv.slice(2);
const members = args.includes('--members') && args[args.indexOf('--members') + 1] === '3' ? 3 : 1;
const cluster = await startEtcdCluster({ members, ...(args.includes('--disk') ? { dataRoot: os.tmpdir() } : {}) });
try {
  const rows = await benchEtcd(cluster.endpoints);
  const fmt = (n: number | undefined) => (n === undefined ? '' : n >= 100 ? n.toFixed(0) : n.toFixed(2));
  console.log(`\n## etcd backend (${members} member${members > 1 ? 's' : ''}), baseline = raw etcd3 client\n`);
  console.log('| metric | value | unit | baseline | ratio |\n|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.metric} | ${fmt(r.value)} | ${r.unit} | ${fmt(r.baseline)} | ${r.ratio?.toFixed(2) ?? ''}x |`);
  }
} finally {
  await cluster.stop();
}
