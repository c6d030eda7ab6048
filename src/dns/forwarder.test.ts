import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { Forwarder, parseHostPort, parseResolvConf } from './forwarder.js';
import { isOwnAddress } from './server.js';
import { scaled } from '../testing/time-scale.js';

describe('forwarder configuration', () => {
  it('parses IP[:PORT] and [IPv6]:PORT', () => {
    assert.deepEqual(parseHostPort('127.0.0.1'), { host: '127.0.0.1', port: 53 });
    assert.deepEqual(parseHostPort('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 });
    assert.deepEqual(parseHostPort('::1'), { host: '::1', port: 53 });
    assert.deepEqual(parseHostPort('[::1]:5353'), { host: '::1', port: 5353 });
    assert.throws(() => parseHostPort('127.0.0.1:x'));
  });

  it('reads nameservers from resolv.conf', () => {
    const text = '# generated\nsearch example.org\nnameserver 127.0.0.53\n  nameserver   ::1\nnameserver fe80::1%eth0\nnameserver bogus\noptions ndots:5\n';
    assert.deepEqual(parseResolvConf(text), [
      { host: '127.0.0.53', port: 53 },
      { host: '::1', port: 53 },
      { host: 'fe80::1', port: 53 },
    ]);
  });

  it('recognizes an upstream that is this server (a forwarding loop)', () => {
    assert.ok(isOwnAddress({ host: '127.0.0.53', port: 53 }, [{ host: '0.0.0.0', port: 53 }]));
    assert.ok(isOwnAddress({ host: '10.0.0.2', port: 53 }, [{ host: '10.0.0.2', port: 53 }]));
    assert.ok(!isOwnAddress({ host: '127.0.0.53', port: 53 }, [{ host: '127.0.0.1', port: 5353 }]));
    assert.ok(!isOwnAddress({ host: '10.0.0.3', port: 53 }, [{ host: '0.0.0.0', port: 53 }]));
  });
});

describe('forwarding', () => {
  it('an upstream it cannot connect to fails over to the next one (and does not throw out of the socket callback)', async () => {
    const server = dgram.createSocket('udp4');
    server.on('message', (msg, rinfo) => server.send(Buffer.concat([msg.subarray(0, 2), Buffer.from([0x81, 0x80]), msg.subarray(4)]), rinfo.port, rinfo.address));
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      // connect() to the broadcast address without SO_BROADCAST fails at once (EACCES); nothing is sent.
      const fwd = new Forwarder({ upstreams: [{ host: '255.255.255.255', port: 53 }, { host: '127.0.0.1', port }], timeoutMs: scaled(2000) });
      const query = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1]);
      const answer = await fwd.forward(query);
      assert.equal(answer.readUInt16BE(0), 0x1234);
      assert.equal(answer.readUInt16BE(2), 0x8180);
      const bad = new Forwarder({ upstreams: [{ host: '255.255.255.255', port: 53 }] });
      await assert.rejects(bad.forward(query), /all upstreams failed: 255\.255\.255\.255:53: .*EACCES/);
    } finally {
      server.close();
    }
  });
});
