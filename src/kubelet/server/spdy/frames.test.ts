import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adler32 } from './testing-adler32.js';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { controlFrame, dataFrame, decodeHeaderBlock, encodeHeaderBlock, FLAG_FIN, FrameReader, FrameType, synStreamPayload } from './frames.js';
import { HeaderCompressor, HeaderDecompressor } from './header-compression.js';

test('the SPDY/3 dictionary is the protocol one (1423 bytes, zlib id 0xe3c6a7c2)', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  assert.equal(adler32(SPDY3_DICTIONARY), 0xe3c6a7c2);
});

test('header blocks round-trip, lowercasing names', () => {
  const block = encodeHeaderBlock({ StreamType: 'stdin', port: '8080' });
  assert.deepEqual(decodeHeaderBlock(block), { streamtype: 'stdin', port: '8080' });
  assert.throws(() => decodeHeaderBlock(block.subarray(0, block.length - 1)));
});

test('compressed header blocks share one zlib stream per direction and name the dictionary', async () => {
  const c = new HeaderCompressor();
  const d = new HeaderDecompressor();
  const first = await c.compress(encodeHeaderBlock({ streamtype: 'error' }));
  // zlib header with FDICT set, then the dictionary id.
  assert.equal(first[1]! & 0x20, 0x20);
  assert.equal(first.readUInt32BE(2), 0xe3c6a7c2);
  const second = await c.compress(encodeHeaderBlock({ streamtype: 'stdout' }));
  assert.deepEqual(decodeHeaderBlock(await d.decompress(first)), { streamtype: 'error' });
  assert.deepEqual(decodeHeaderBlock(await d.decompress(second)), { streamtype: 'stdout' });
  c.close();
  d.close();
});

test('the frame reader splits control and data frames across chunk boundaries', () => {
  const bytes = Buffer.concat([controlFrame(FrameType.SYN_STREAM, 0, synStreamPayload(1, Buffer.from('hdr'))), dataFrame(1, FLAG_FIN, Buffer.from('payload'))]);
  const r = new FrameReader();
  const frames = [...r.push(bytes.subarray(0, 5)), ...r.push(bytes.subarray(5, 21)), ...r.push(bytes.subarray(21))];
  assert.equal(frames.length, 2);
  const [syn, data] = frames;
  assert.ok(syn?.kind === 'control' && syn.type === FrameType.SYN_STREAM);
  assert.equal(syn.payload.readUInt32BE(0), 1);
  assert.equal(syn.payload.subarray(10).toString(), 'hdr');
  assert.ok(data?.kind === 'data');
  assert.equal(data.streamId, 1);
  assert.equal(data.flags, FLAG_FIN);
  assert.equal(data.data.toString(), 'payload');
});
