import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CidrAllocator, CidrError, parseCidr, formatCidr } from './cidr-allocator.js';

test('parseCidr clears host bits and rejects junk', () => {
  assert.equal(formatCidr(parseCidr('10.42.7.9/16')), '10.42.0.0/16');
  assert.throws(() => parseCidr('10.42.0.0'), CidrError);
  assert.throws(() => parseCidr('10.300.0.0/16'), CidrError);
  assert.throws(() => new CidrAllocator('10.42.0.0/16', 8), CidrError);
});

test('allocates /24s in order, skips occupied ones, never twice, and runs out', () => {
  const a = new CidrAllocator('10.42.0.0/22', 24);
  assert.equal(a.size, 4);
  assert.equal(a.occupy('10.42.1.0/24'), true);
  assert.equal(a.occupy('10.42.1.0/24'), false);
  assert.equal(a.occupy('192.168.0.0/24'), false);
  assert.equal(a.occupy('10.42.2.0/25'), false);
  assert.deepEqual([a.allocate(), a.allocate(), a.allocate(), a.allocate()], ['10.42.0.0/24', '10.42.2.0/24', '10.42.3.0/24', undefined]);
  a.release('10.42.2.0/24');
  assert.equal(a.isAllocated('10.42.2.0/24'), false);
  assert.equal(a.allocate(), '10.42.2.0/24');
  assert.equal(a.allocated, 4);
});
