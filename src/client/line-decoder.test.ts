import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineDecoder } from './line-decoder.js';

describe('LineDecoder', () => {
  it('joins lines split across chunks, including inside a multi-byte character', () => {
    const d = new LineDecoder();
    const bytes = Buffer.from('{"a":"é"}\n{"b":2}\n\n{"c":3}');
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of é
    assert.deepEqual(d.push(bytes.subarray(0, cut)), []);
    assert.deepEqual(d.push(bytes.subarray(cut, cut + 5)), ['{"a":"é"}']);
    assert.deepEqual(d.push(bytes.subarray(cut + 5)), ['{"b":2}']);
    assert.deepEqual(d.flush(), ['{"c":3}']);
    assert.deepEqual(d.flush(), []);
  });

  it('returns several lines from one chunk', () => {
    assert.deepEqual(new LineDecoder().push(Buffer.from('1\n2\n3\n')), ['1', '2', '3']);
  });
});
