import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dnsPacket, { type Answer, type DecodedPacket, type RecordType } from 'dns-packet';
import { ClusterDnsIndex } from './cluster-index.js';
import { encodeQuery } from './dns-client.js';
import { Forwarder } from './forwarder.js';
import { DnsHandler } from './server.js';
import { clusterIPService, endpointSlice, externalNameService, headlessService } from './test-fixtures.js';

/** The decoder also reports the rcode, which the published types leave out. */
type Reply = DecodedPacket & { rcode: string };

function setup() {
  const index = new ClusterDnsIndex('cluster.local');
  const handler = new DnsHandler(index, new Forwarder({ upstreams: [] }));
  index.upsertService(clusterIPService('default', 'web', ['10.43.0.20'], [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }, { port: 9000 }]));
  index.upsertService(clusterIPService('default', 'dual', ['10.43.0.21', 'fd00:43::21']));
  index.upsertService(headlessService('default', 'nginx'));
  index.upsertSlice(endpointSlice('default', 'nginx', 'nginx-a', [{ ip: '10.42.0.5', hostname: 'web-0' }, { ip: '10.42.0.6', hostname: 'web-1' }, { ip: '10.42.0.7', ready: false, hostname: 'web-2' }]));
  index.upsertSlice(endpointSlice('default', 'nginx', 'nginx-b', [{ ip: '10.42.0.8' }]));
  index.upsertService(externalNameService('default', 'search', 'search.example.com.'));
  index.upsertService(clusterIPService('kube-system', 'kube-dns', ['10.43.0.10'], [{ name: 'dns', port: 53, protocol: 'UDP' }]));
  const ask = async (name: string, type: string, opts: { udp?: boolean; edns?: number } = {}): Promise<Reply> => {
    const q = dnsPacket.encode({
      type: 'query',
      id: 4242,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ name, type: type as RecordType, class: 'IN' }],
      additionals: opts.edns ? [{ type: 'OPT', name: '.', udpPayloadSize: opts.edns, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [],
    });
    const out = await handler.handle(q, opts.udp ?? true);
    assert.ok(out, 'an answer');
    const r = dnsPacket.decode(out);
    assert.equal(r.id, 4242);
    assert.equal(r.type, 'response');
    return r as Reply;
  };
  return { index, ask };
}

const data = (answers: Answer[] | undefined, type?: string) => (answers ?? []).filter((a) => !type || a.type === type).map((a) => ('data' in a ? a.data : undefined));
const sorted = (xs: unknown[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('ClusterResolver', () => {
  it('answers A for a ClusterIP service, authoritatively, case- and trailing-dot-insensitive', async () => {
    const { ask } = setup();
    for (const name of ['web.default.svc.cluster.local', 'WEB.Default.Svc.Cluster.Local.']) {
      const r = await ask(name, 'A');
      assert.equal(r.rcode, 'NOERROR');
      assert.ok(r.flag_aa);
      assert.ok(r.flag_rd && r.flag_ra);
      assert.deepEqual(data(r.answers), ['10.43.0.20']);
      assert.equal(r.answers![0]!.name.toLowerCase(), 'web.default.svc.cluster.local');
      assert.equal((r.answers![0] as { ttl: number }).ttl, 5);
    }
  });

  it('answers AAAA only when the service has an IPv6 cluster IP (NODATA otherwise)', async () => {
    const { ask } = setup();
    assert.deepEqual(data((await ask('dual.default.svc.cluster.local', 'A')).answers), ['10.43.0.21']);
    assert.deepEqual(data((await ask('dual.default.svc.cluster.local', 'AAAA')).answers), ['fd00:43::21']);
    const nodata = await ask('web.default.svc.cluster.local', 'AAAA');
    assert.equal(nodata.rcode, 'NOERROR');
    assert.equal(nodata.answers!.length, 0);
    assert.equal(nodata.authorities![0]!.type, 'SOA');
  });

  it('NXDOMAIN with the SOA for missing names, including search-path expansions', async () => {
    const { ask } = setup();
    for (const name of ['nope.default.svc.cluster.local', 'web.default.svc.cluster.local.default.svc.cluster.local', 'web.other.svc.cluster.local', 'x.cluster.local']) {
      const r = await ask(name, 'A');
      assert.equal(r.rcode, 'NXDOMAIN', name);
      assert.ok(r.flag_aa);
      assert.equal(r.authorities!.length, 1);
      const soa = r.authorities![0]!;
      assert.equal(soa.type, 'SOA');
      assert.equal(soa.name, 'cluster.local');
      assert.equal((soa.data as { minimum: number }).minimum, 5);
    }
  });

  it('NODATA for existing names and empty non-terminals', async () => {
    const { ask } = setup();
    for (const [name, type] of [['web.default.svc.cluster.local', 'TXT'], ['default.svc.cluster.local', 'A'], ['svc.cluster.local', 'A'], ['_tcp.web.default.svc.cluster.local', 'SRV']]) {
      const r = await ask(name!, type!);
      assert.equal(r.rcode, 'NOERROR', name);
      assert.equal(r.answers!.length, 0, name);
      assert.equal(r.authorities![0]!.type, 'SOA', name);
    }
  });

  it('SRV for named ports of a ClusterIP service targets the service name', async () => {
    const { ask } = setup();
    const r = await ask('_http._tcp.web.default.svc.cluster.local', 'SRV');
    assert.deepEqual(data(r.answers), [{ priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' }]);
    assert.deepEqual(data(r.additionals, 'A'), ['10.43.0.20']);
    const udp = await ask('_dns._udp.web.default.svc.cluster.local', 'SRV');
    assert.equal((data(udp.answers)[0] as { port: number }).port, 53);
    assert.equal((await ask('_dns._tcp.web.default.svc.cluster.local', 'SRV')).rcode, 'NXDOMAIN');
  });

  it('headless: ready endpoint IPs, hostnames, dashed names and per-endpoint SRV', async () => {
    const { ask } = setup();
    const a = await ask('nginx.default.svc.cluster.local', 'A');
    assert.deepEqual(sorted(data(a.answers)), ['10.42.0.5', '10.42.0.6', '10.42.0.8']);
    assert.deepEqual(data((await ask('web-0.nginx.default.svc.cluster.local', 'A')).answers), ['10.42.0.5']);
    assert.deepEqual(data((await ask('10-42-0-8.nginx.default.svc.cluster.local', 'A')).answers), ['10.42.0.8']);
    assert.equal((await ask('web-2.nginx.default.svc.cluster.local', 'A')).rcode, 'NXDOMAIN', 'not-ready endpoints are left out');
    const srv = await ask('_web._tcp.nginx.default.svc.cluster.local', 'SRV');
    assert.deepEqual(sorted(data(srv.answers).map((d) => (d as { target: string; port: number }).target)), [
      '10-42-0-8.nginx.default.svc.cluster.local',
      'web-0.nginx.default.svc.cluster.local',
      'web-1.nginx.default.svc.cluster.local',
    ]);
    assert.ok(data(srv.answers).every((d) => (d as { port: number }).port === 8080));
    // Within 512 bytes the additional section goes first, without TC.
    assert.ok(!srv.flag_tc);
    assert.deepEqual(data(srv.additionals, 'A'), []);
    const big = await ask('_web._tcp.nginx.default.svc.cluster.local', 'SRV', { edns: 4096 });
    assert.equal(big.answers!.length, 3);
    assert.deepEqual(sorted(data(big.additionals, 'A')), ['10.42.0.5', '10.42.0.6', '10.42.0.8']);
  });

  it('ExternalName answers a CNAME for any type', async () => {
    const { ask } = setup();
    for (const type of ['A', 'AAAA', 'CNAME']) {
      const r = await ask('search.default.svc.cluster.local', type);
      assert.equal(r.rcode, 'NOERROR');
      assert.deepEqual(r.answers!.map((x) => [x.type, 'data' in x ? x.data : '']), [['CNAME', 'search.example.com']]);
    }
  });

  it('pod records from dashed addresses', async () => {
    const { ask } = setup();
    assert.deepEqual(data((await ask('10-42-1-9.default.pod.cluster.local', 'A')).answers), ['10.42.1.9']);
    assert.deepEqual(data((await ask('fd00--9.default.pod.cluster.local', 'AAAA')).answers), ['fd00::9']);
    assert.equal((await ask('10-42-1-9.default.pod.cluster.local', 'AAAA')).answers!.length, 0);
    assert.equal((await ask('not-an-ip.default.pod.cluster.local', 'A')).rcode, 'NXDOMAIN');
  });

  it('PTR for cluster IPs and endpoint IPs; unknown reverse names go upstream', async () => {
    const { ask } = setup();
    assert.deepEqual(data((await ask('20.0.43.10.in-addr.arpa', 'PTR')).answers), ['web.default.svc.cluster.local']);
    assert.deepEqual(data((await ask('5.0.42.10.in-addr.arpa', 'PTR')).answers), ['web-0.nginx.default.svc.cluster.local']);
    assert.deepEqual(data((await ask('8.0.42.10.in-addr.arpa', 'PTR')).answers), ['10-42-0-8.nginx.default.svc.cluster.local']);
    const v6 = `1.2.${'0.'.repeat(22)}3.4.0.0.0.0.d.f.ip6.arpa`;
    assert.deepEqual(data((await ask(v6, 'PTR')).answers), ['dual.default.svc.cluster.local']);
    // No upstream configured here, so a forwarded name fails as SERVFAIL.
    assert.equal((await ask('99.99.99.10.in-addr.arpa', 'PTR')).rcode, 'SERVFAIL');
    assert.equal((await ask('example.com', 'A')).rcode, 'SERVFAIL');
  });

  it('SOA and NS at the apex, with the name server at the kube-dns address', async () => {
    const { ask } = setup();
    const soa = await ask('cluster.local', 'SOA');
    assert.equal(soa.answers![0]!.type, 'SOA');
    assert.equal((soa.answers![0]!.data as { mname: string }).mname, 'ns.dns.cluster.local');
    const ns = await ask('cluster.local.', 'NS');
    assert.deepEqual(data(ns.answers), ['ns.dns.cluster.local']);
    assert.deepEqual(data(ns.additionals, 'A'), ['10.43.0.10']);
    assert.deepEqual(data((await ask('ns.dns.cluster.local', 'A')).answers), ['10.43.0.10']);
    assert.equal((await ask('cluster.local', 'A')).authorities![0]!.type, 'SOA');
    const ver = await ask('dns-version.cluster.local', 'TXT');
    assert.deepEqual(data(ver.answers).map((d) => String((d as Buffer[])[0])), ['1.1.0']);
  });

  it('follows updates and deletes of services and slices', async () => {
    const { index, ask } = setup();
    index.upsertService(clusterIPService('default', 'web', ['10.43.0.99']));
    assert.deepEqual(data((await ask('web.default.svc.cluster.local', 'A')).answers), ['10.43.0.99']);
    assert.equal((await ask('20.0.43.10.in-addr.arpa', 'PTR')).rcode, 'SERVFAIL', 'the old PTR is gone (forwarded now)');
    index.deleteSlice(endpointSlice('default', 'nginx', 'nginx-a', []));
    assert.deepEqual(data((await ask('nginx.default.svc.cluster.local', 'A')).answers), ['10.42.0.8']);
    assert.equal((await ask('web-0.nginx.default.svc.cluster.local', 'A')).rcode, 'NXDOMAIN');
    index.deleteService(headlessService('default', 'nginx'));
    assert.equal((await ask('nginx.default.svc.cluster.local', 'A')).rcode, 'NXDOMAIN');
    for (const n of ['web', 'dual', 'search']) index.deleteService(clusterIPService('default', n, []));
    assert.equal((await ask('default.svc.cluster.local', 'A')).rcode, 'NXDOMAIN', 'the namespace name goes with its last service');
    // Slices that arrive before their Service are kept and used once it appears.
    index.upsertSlice(endpointSlice('default', 'late', 'late-1', [{ ip: '10.42.3.3' }]));
    assert.equal((await ask('late.default.svc.cluster.local', 'A')).rcode, 'NXDOMAIN');
    index.upsertService(headlessService('default', 'late'));
    assert.deepEqual(data((await ask('late.default.svc.cluster.local', 'A')).answers), ['10.42.3.3']);
  });

  it('NOTIMP for opcodes other than QUERY, echoing the opcode', async () => {
    const index = new ClusterDnsIndex('cluster.local');
    const handler = new DnsHandler(index, new Forwarder({ upstreams: [] }));
    const update = dnsPacket.encode({ type: 'query', id: 7, flags: 5 << 11, questions: [{ name: 'cluster.local', type: 'SOA', class: 'IN' }] });
    const r = dnsPacket.decode((await handler.handle(update, true))!) as Reply & { opcode: string };
    assert.equal(r.rcode, 'NOTIMP');
    assert.equal(r.opcode, 'UPDATE');
    assert.equal(r.id, 7);
  });

  it('repeated questions come from the answer cache with their own id, until the index changes', async () => {
    const index = new ClusterDnsIndex('cluster.local');
    const handler = new DnsHandler(index, new Forwarder({ upstreams: [] }));
    index.upsertService(clusterIPService('default', 'web', ['10.43.0.20']));
    const ask = async (id: number, name: string) => dnsPacket.decode((await handler.handle(encodeQuery(name, 'A', id), true))!) as Reply;
    const one = await ask(1, 'web.default.svc.cluster.local');
    const two = await ask(2, 'web.default.svc.cluster.local');
    assert.deepEqual([one.id, two.id], [1, 2]);
    assert.deepEqual(data(two.answers), ['10.43.0.20']);
    assert.equal((await ask(3, 'WEB.default.svc.cluster.local')).answers![0]!.name, 'WEB.default.svc.cluster.local', 'the question is echoed as asked');
    index.upsertService(clusterIPService('default', 'web', ['10.43.0.21']));
    assert.deepEqual(data((await ask(4, 'web.default.svc.cluster.local')).answers), ['10.43.0.21']);
  });

  it('truncates UDP answers past 512 bytes unless EDNS0 allows more; TCP is never truncated', async () => {
    const { index, ask } = setup();
    index.upsertService(headlessService('default', 'big'));
    index.upsertSlice(endpointSlice('default', 'big', 'big-1', Array.from({ length: 60 }, (_, i) => ({ ip: `10.42.9.${i + 1}` }))));
    const udp = await ask('big.default.svc.cluster.local', 'A');
    assert.ok(udp.flag_tc);
    assert.equal(udp.answers!.length, 0);
    const edns = await ask('big.default.svc.cluster.local', 'A', { edns: 4096 });
    assert.ok(!edns.flag_tc);
    assert.equal(edns.answers!.length, 60);
    assert.equal(edns.additionals!.find((a) => a.type === 'OPT')?.type, 'OPT', 'EDNS0 is echoed');
    const tcp = await ask('big.default.svc.cluster.local', 'A', { udp: false });
    assert.ok(!tcp.flag_tc);
    assert.equal(tcp.answers!.length, 60);
  });
});
