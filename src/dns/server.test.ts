// Component test: the DNS server against a real in-process API server, queried
// over real UDP and TCP sockets on 127.0.0.1, forwarding to a fake upstream.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import dnsPacket, { type Answer, type DecodedPacket } from 'dns-packet';
import type { Pod } from '../client/types.js';
import { endpointSliceController } from '../controllers/endpointslice/index.js';
import { startTestControlPlane, type TestControlPlane } from '../testing/control-plane.js';
import { waitFor } from '../testing/wait-for.js';
import { CLUSTER_DNS_IP, ensureDnsService } from './addon.js';
import { dnsQuery, type DnsReply } from './dns-client.js';
import { startClusterDns, type RunningClusterDns } from './server.js';
import { clusterIPService, headlessService } from './test-fixtures.js';
import { FrameReader, frame } from './wire.js';
import { scaled } from '../testing/time-scale.js';

/** A fake upstream resolver on 127.0.0.1: fixed answers, a truncating name, and a name it never answers. */
async function startFakeUpstream(): Promise<{ port: number; udpQueries: string[]; tcpQueries: string[]; close(): Promise<void> }> {
  const udpQueries: string[] = [];
  const tcpQueries: string[] = [];
  const answer = (q: DecodedPacket, tcp: boolean): Buffer | undefined => {
    const name = q.questions![0]!.name.toLowerCase();
    if (name === 'silent.example') return undefined;
    const base = { type: 'response' as const, id: q.id, flags: dnsPacket.RECURSION_AVAILABLE | dnsPacket.RECURSION_DESIRED, questions: q.questions };
    if (name === 'big.example') {
      if (!tcp) return dnsPacket.encode({ ...base, flags: base.flags | dnsPacket.TRUNCATED_RESPONSE });
      return dnsPacket.encode({ ...base, answers: Array.from({ length: 80 }, (_, i): Answer => ({ type: 'A', name, ttl: 60, data: `192.0.2.${i + 1}` })) });
    }
    if (name === 'www.example') return dnsPacket.encode({ ...base, answers: [{ type: 'A', name, ttl: 60, data: '192.0.2.80' }] });
    if (name.endsWith('.in-addr.arpa')) return dnsPacket.encode({ ...base, answers: [{ type: 'PTR', name, ttl: 60, data: 'upstream.example' }] });
    return dnsPacket.encode({ ...base, flags: base.flags | 3 });
  };
  const udp = dgram.createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    udpQueries.push(q.questions![0]!.name);
    const out = answer(q, false);
    if (out) udp.send(out, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  const port = udp.address().port;
  const tcp = net.createServer((c) => {
    const reader = new FrameReader();
    c.on('data', (chunk) => {
      for (const m of reader.push(chunk)) {
        const q = dnsPacket.decode(m);
        tcpQueries.push(q.questions![0]!.name);
        const out = answer(q, true);
        if (out) c.write(frame(out));
      }
    });
    c.on('error', () => c.destroy());
  });
  await new Promise<void>((r, j) => tcp.once('error', j).listen(port, '127.0.0.1', () => r()));
  return {
    port,
    udpQueries,
    tcpQueries,
    close: async () => {
      await new Promise<void>((r) => tcp.close(() => r()));
      await new Promise<void>((r) => udp.close(() => r()));
    },
  };
}

const data = (r: DnsReply, type?: string) => (r.answers ?? []).filter((a) => !type || a.type === type).map((a) => ('data' in a ? a.data : undefined));
const sortedData = (r: DnsReply, type?: string) => (data(r, type) as string[]).sort();

describe('cluster DNS server', () => {
  let cp: TestControlPlane;
  let upstream: Awaited<ReturnType<typeof startFakeUpstream>>;
  let dns: RunningClusterDns;
  let port: number;
  const abort = new AbortController();
  let controller: Promise<void>;
  const ask = (name: string, type: string, transport: 'udp' | 'tcp' = 'udp', edns?: number) => dnsQuery(name, type, { port, transport, edns, timeoutMs: scaled(3000) });

  before(async () => {
    cp = await startTestControlPlane({ datastore: 'memory' });
    controller = endpointSliceController(cp.controllerContext()).run(abort.signal);
    upstream = await startFakeUpstream();
    await cp.client.services.create('default', clusterIPService('default', 'early', ['10.43.7.7']));
    dns = await startClusterDns({ client: cp.client, listen: [{ host: '127.0.0.1', port: 0 }], upstreams: [{ host: '127.0.0.1', port: upstream.port }], forwardTimeoutMs: scaled(1000) });
    port = dns.ports[0]!;
  });

  after(async () => {
    await dns?.close();
    abort.abort();
    await controller;
    await upstream?.close();
    await cp?.stop();
  });

  it('serves services that existed before it started, over UDP and TCP', async () => {
    for (const t of ['udp', 'tcp'] as const) {
      const r = await ask('early.default.svc.cluster.local', 'A', t);
      assert.equal(r.rcode, 'NOERROR');
      assert.ok(r.flag_aa);
      assert.deepEqual(data(r), ['10.43.7.7']);
    }
  });

  it('follows Services created, changed and deleted through the API', async () => {
    const svc = await cp.client.services.create('team-a', clusterIPService('team-a', 'api', ['10.43.8.8'], [{ name: 'grpc', port: 9090 }])).catch(async () => {
      await cp.client.namespaces.create(undefined, { metadata: { name: 'team-a' } });
      return cp.client.services.create('team-a', clusterIPService('team-a', 'api', ['10.43.8.8'], [{ name: 'grpc', port: 9090 }]));
    });
    await waitFor(async () => (await ask('api.team-a.svc.cluster.local', 'A')).rcode === 'NOERROR', 5000, 'A for the new service');
    assert.deepEqual(data(await ask('API.TEAM-A.svc.cluster.local.', 'A', 'tcp')), ['10.43.8.8']);
    const srv = await ask('_grpc._tcp.api.team-a.svc.cluster.local', 'SRV');
    assert.deepEqual(data(srv), [{ priority: 0, weight: 100, port: 9090, target: 'api.team-a.svc.cluster.local' }]);
    assert.deepEqual(data(await ask('8.8.43.10.in-addr.arpa', 'PTR')), ['api.team-a.svc.cluster.local']);
    // The search path's longer candidates fail fast, authoritatively, with the SOA for negative caching.
    const nx = await ask('api.team-a.svc.cluster.local.team-a.svc.cluster.local', 'A');
    assert.equal(nx.rcode, 'NXDOMAIN');
    assert.equal(nx.authorities![0]!.type, 'SOA');
    const nodata = await ask('api.team-a.svc.cluster.local', 'AAAA');
    assert.equal(nodata.rcode, 'NOERROR');
    assert.equal(nodata.answers!.length, 0);

    await cp.client.services.update({ ...svc, spec: { ...svc.spec, ports: [{ name: 'grpc', port: 9191, protocol: 'TCP' }] } });
    await waitFor(async () => (data(await ask('_grpc._tcp.api.team-a.svc.cluster.local', 'SRV'))[0] as { port: number } | undefined)?.port === 9191, 5000, 'SRV follows the port change');
    await cp.client.services.delete('team-a', 'api');
    await waitFor(async () => (await ask('api.team-a.svc.cluster.local', 'A')).rcode === 'NXDOMAIN', 5000, 'NXDOMAIN after the delete');
  });

  it('headless service with StatefulSet-style pods, through the endpointslice controller', async () => {
    await cp.client.services.create('default', { ...headlessService('default', 'web'), spec: { ...headlessService('default', 'web').spec, selector: { app: 'web' } } });
    for (const [i, ip] of [[0, '10.42.0.10'], [1, '10.42.0.11']] as const) {
      const pod = await cp.client.pods.create('default', {
        metadata: { name: `web-${i}`, labels: { app: 'web' } },
        spec: { hostname: `web-${i}`, subdomain: 'web', nodeName: 'n1', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'web', containerPort: 80 }] }] },
      } as Pod);
      await cp.client.pods.updateStatus({ ...pod, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] } });
    }
    const a = await waitFor(async () => {
      const r = await ask('web.default.svc.cluster.local', 'A');
      return r.answers?.length === 2 ? r : undefined;
    }, 10_000, 'both pods behind the headless service');
    assert.deepEqual(sortedData(a), ['10.42.0.10', '10.42.0.11']);
    assert.deepEqual(data(await ask('web-0.web.default.svc.cluster.local', 'A', 'tcp')), ['10.42.0.10']);
    assert.deepEqual(data(await ask('web-1.web.default.svc.cluster.local', 'A')), ['10.42.0.11']);
    const srv = await ask('_web._tcp.web.default.svc.cluster.local', 'SRV', 'udp', 1232);
    assert.deepEqual((data(srv) as { target: string }[]).map((d) => d.target).sort(), ['web-0.web.default.svc.cluster.local', 'web-1.web.default.svc.cluster.local']);
    assert.deepEqual(data(await ask('11.0.42.10.in-addr.arpa', 'PTR')), ['web-1.web.default.svc.cluster.local']);
    assert.deepEqual(data(await ask('10-42-0-11.default.pod.cluster.local', 'A')), ['10.42.0.11']);
  });

  it('ensureDnsService creates the kube-dns Service at the cluster DNS IP with a slice to our address', async () => {
    const first = await ensureDnsService(cp.client, { address: '127.0.0.1', port });
    assert.equal(first.service.spec?.clusterIP, CLUSTER_DNS_IP);
    assert.deepEqual(first.service.spec?.ports?.map((p) => [p.name, p.port, p.protocol]), [['dns', 53, 'UDP'], ['dns-tcp', 53, 'TCP']]);
    assert.equal(first.service.spec?.selector, undefined);
    assert.deepEqual(first.slice.endpoints?.[0]?.addresses, ['127.0.0.1']);
    // Idempotent, and a second call moves the endpoint.
    const again = await ensureDnsService(cp.client, { address: '127.0.0.2', port });
    assert.equal(again.service.metadata.uid, first.service.metadata.uid);
    assert.deepEqual(again.slice.endpoints?.[0]?.addresses, ['127.0.0.2']);
    assert.equal(again.slice.ports?.[0]?.port, port);
    await waitFor(async () => data(await ask('kube-dns.kube-system.svc.cluster.local', 'A'))[0] === CLUSTER_DNS_IP, 5000, 'kube-dns resolves');
    const ns = await ask('cluster.local', 'NS');
    assert.deepEqual(data(ns), ['ns.dns.cluster.local']);
    assert.deepEqual(data(await ask('_dns._udp.kube-dns.kube-system.svc.cluster.local', 'SRV')).length, 1);
  });

  it('ensureDnsService recreates a kube-dns Service found at another cluster IP', async () => {
    await cp.client.services.delete('kube-system', 'kube-dns');
    const wrong = await cp.client.services.create('kube-system', { metadata: { name: 'kube-dns' }, spec: { clusterIP: '10.43.0.11', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] } });
    const fixed = await ensureDnsService(cp.client, { address: '127.0.0.1', port });
    assert.equal(fixed.service.spec?.clusterIP, CLUSTER_DNS_IP);
    assert.notEqual(fixed.service.metadata.uid, wrong.metadata.uid);
  });

  it('forwards other names upstream (UDP, TCP after truncation) and answers SERVFAIL when upstream fails', async () => {
    const www = await ask('www.example', 'A');
    assert.equal(www.rcode, 'NOERROR');
    assert.ok(!www.flag_aa);
    assert.deepEqual(data(www), ['192.0.2.80']);
    assert.equal((await ask('nothing.example', 'A')).rcode, 'NXDOMAIN');
    // Upstream truncates over UDP: we retry it over TCP; our TCP client gets all of it,
    // our classic UDP client gets TC (the answer is too large for 512 bytes).
    const bigTcp = await ask('big.example', 'A', 'tcp');
    assert.equal(bigTcp.answers!.length, 80);
    assert.ok(upstream.tcpQueries.includes('big.example'));
    const bigUdp = await ask('big.example', 'A', 'udp');
    assert.ok(bigUdp.flag_tc);
    const bigEdns = await ask('big.example', 'A', 'udp', 4096);
    assert.equal(bigEdns.answers!.length, 80);
    // Unknown reverse names fall through to upstream; ours are answered locally.
    assert.deepEqual(data(await ask('4.3.2.1.in-addr.arpa', 'PTR')), ['upstream.example']);
    const fail = await ask('silent.example', 'A');
    assert.equal(fail.rcode, 'SERVFAIL');
  });

  it('an upstream with nothing listening fails fast (ICMP refused), as SERVFAIL', async () => {
    const gone = await startFakeUpstream();
    await gone.close();
    const dead = await startClusterDns({ client: cp.client, listen: [{ host: '127.0.0.1', port: 0 }], upstreams: [{ host: '127.0.0.1', port: gone.port }], forwardTimeoutMs: 30_000 });
    try {
      const t0 = Date.now();
      const r = await dnsQuery('www.example', 'A', { port: dead.port, timeoutMs: 10_000 });
      assert.equal(r.rcode, 'SERVFAIL');
      assert.ok(Date.now() - t0 < Math.min(scaled(5000), 25_000), 'long before the 30 s forward timeout');
    } finally {
      await dead.close();
    }
  });

  it('answers a garbled query with FORMERR and ignores stray responses', async () => {
    const sock = dgram.createSocket('udp4');
    try {
      const reply = new Promise<Buffer>((r) => sock.once('message', (m) => r(m)));
      // A header claiming one question, followed by nothing.
      const garbled = Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0xff]);
      sock.send(Buffer.from([0xab, 0xcd, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0]), port, '127.0.0.1');
      sock.send(garbled, port, '127.0.0.1');
      const m = await reply;
      assert.equal(m.readUInt16BE(0), 0x1234, 'the FORMERR is for the garbled query, the response got nothing');
      assert.equal(m.readUInt16BE(2) & 0xf, 1);
    } finally {
      sock.close();
    }
  });
});
