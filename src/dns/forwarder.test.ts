import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostPort, parseResolvConf } from './forwarder.js';
import { isOwnAddress } from './server.js';

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
