// bench/network: kube-proxy rule sync latency at scale. 1,000 Services with
// 10,000 endpoints (fake informer input) are programmed into a private
// network namespace; then single EndpointSlice changes arrive one at a time
// and we time each until its rules are in the kernel (iptables-restore
// returned). Run: npm run bench:network   (BENCH_SERVICES, BENCH_ENDPOINTS, BENCH_CHANGES)
import { createNetNs } from '../src/cri/testing/netns.js';
import { Proxier, type SyncResult } from '../src/proxy/proxier.js';
import type { EndpointSliceObject, ServiceObject } from '../src/proxy/service-ports.js';
import { nowMs, percentile, printTable, type Row } from './report.js';

const SERVICES = Number(process.env.BENCH_SERVICES ?? 1000);
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 10_000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);

const perService = Math.max(1, Math.round(ENDPOINTS / SERVICES));
const svcIP = (i: number) => `10.43.${(i >> 8) & 255}.${i & 255}`;
let nextPodIP = 0;
const podIP = () => {
  const n = nextPodIP++;
  return `10.42.${(n >> 8) & 255}.${(n & 255) || 1}`;
};

function service(i: number): ServiceObject {
  return { metadata: { namespace: 'bench', name: `svc-${i}` }, spec: { clusterIP: svcIP(i + 1), type: i % 10 === 0 ? 'NodePort' : 'ClusterIP', ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30000 + i }] } };
}
function slice(i: number, ips: string[]): EndpointSliceObject {
  return {
    metadata: { namespace: 'bench', name: `svc-${i}-abc`, labels: { 'kubernetes.io/service-name': `svc-${i}` } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip, k) => ({ addresses: [ip], conditions: { ready: true }, nodeName: k % 3 === 0 ? 'n1' : 'n2' })),
  };
}

async function main(): Promise<void> {
  const ns = await createNetNs('kt-bench-');
  try {
    const services = Array.from({ length: SERVICES }, (_, i) => service(i));
    const slices = services.map((_, i) => slice(i, Array.from({ length: perService }, podIP)));
    const proxier = new Proxier({ nodeName: 'n1', clusterCIDR: '10.42.0.0/16', run: ns.run, source: { services: () => services, endpointSlices: () => slices } });
    let last: SyncResult | undefined;
    proxier.onSync((r) => (last = r));

    let t = nowMs();
    proxier.markChanged();
    await proxier.whenIdle();
    const initial = nowMs() - t;
    if (proxier.stats.failures) throw new Error('initial sync failed');
    const rulesCount = (await ns.run('iptables-save', ['-t', 'nat'])).stdout.split('\n').filter((l) => l.startsWith('-A')).length;

    const lat: number[] = [];
    const compute: number[] = [];
    for (let c = 0; c < CHANGES; c++) {
      // One endpoint of one service is replaced (a pod restarted elsewhere).
      const i = Math.floor(Math.random() * SERVICES);
      const cur = slices[i]!;
      const ips = cur.endpoints!.map((e) => e.addresses[0]!);
      ips[Math.floor(Math.random() * ips.length)] = podIP();
      slices[i] = slice(i, ips);
      t = nowMs();
      proxier.markChanged();
      await proxier.whenIdle();
      lat.push(nowMs() - t);
      if (last) compute.push(last.durationMs);
      // Changes arrive spread out, some inside the min sync period of the previous one.
      await new Promise((r) => setTimeout(r, Math.random() * 200));
    }
    if (proxier.stats.failures) throw new Error(`${proxier.stats.failures} syncs failed`);
    lat.sort((a, b) => a - b);
    compute.sort((a, b) => a - b);
    const rows: Row[] = [
      { metric: `services / endpoints / nat rules`, value: SERVICES, unit: `/ ${SERVICES * perService} / ${rulesCount}` },
      { metric: 'initial full sync', value: initial, unit: 'ms' },
      { metric: 'EndpointSlice change → rules applied, p50', value: percentile(lat, 50), unit: 'ms' },
      { metric: 'EndpointSlice change → rules applied, p99', value: percentile(lat, 99), unit: 'ms' },
      { metric: 'EndpointSlice change → rules applied, max', value: lat.at(-1)!, unit: 'ms' },
      { metric: 'sync (compute + iptables-restore), p50', value: percentile(compute, 50), unit: 'ms' },
      { metric: 'sync (compute + iptables-restore), p99', value: percentile(compute, 99), unit: 'ms' },
    ];
    printTable(`kube-proxy sync latency (${CHANGES} single-endpoint changes, target p99 ≤ 1000 ms)`, rows);
    proxier.stop();
    if (percentile(lat, 99) > 1000) process.exitCode = 1;
  } finally {
    await ns.delete();
  }
}

await main();
