import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalName, dashedIp, inZone, ipFromDashed, reverseName } from './names.js';

describe('DNS names', () => {
  it('canonicalizes case and the trailing dot', () => {
    assert.equal(canonicalName('Web.Default.SVC.cluster.local.'), 'web.default.svc.cluster.local');
    assert.ok(inZone('a.cluster.local', 'cluster.local'));
    assert.ok(inZone('cluster.local', 'cluster.local'));
    assert.ok(!inZone('xcluster.local', 'cluster.local'));
  });

  it('builds reverse names for IPv4 and IPv6', () => {
    assert.equal(reverseName('10.43.0.10'), '10.0.43.10.in-addr.arpa');
    assert.equal(reverseName('fd00::1'), `1.${'0.'.repeat(27)}0.0.d.f.ip6.arpa`);
    assert.equal(reverseName('::ffff:1.2.3.4'), '4.0.3.0.2.0.1.0.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa');
    assert.equal(reverseName('nope'), undefined);
  });

  it('maps addresses to dashed labels and back', () => {
    assert.equal(dashedIp('10.1.2.3'), '10-1-2-3');
    assert.equal(ipFromDashed('10-1-2-3'), '10.1.2.3');
    assert.equal(dashedIp('fd00::1'), 'fd00--1');
    assert.equal(ipFromDashed('fd00--1'), 'fd00::1');
    assert.equal(ipFromDashed('web-0'), undefined);
    assert.equal(ipFromDashed('10-1-2'), undefined);
  });
});
