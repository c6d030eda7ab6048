import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { LogLineAssembler, parseRecord, parseRfc3339Ms } from './cri-log-format.js';
import { logOptionsFromQuery, LogOptionsError, type LogOptions } from './log-options.js';
import { readLogs } from './read-logs.js';
import { waitFor } from '../../testing/wait-for.js';

const T = (s: number) => `2026-11-25T10:00:${String(s).padStart(2, '0')}.5Z`;
const rec = (s: number, stream: string, tag: string, text: string) => `${T(s)} ${stream} ${tag} ${text}\n`;

async function tempLog(content: string): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'kt-logs-'));
  const path = join(dir, '0.log');
  await writeFile(path, content);
  return { dir, path };
}

function collector() {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

const opts = (o: Partial<LogOptions> = {}): LogOptions => ({ follow: false, timestamps: false, previous: false, ...o });

test('parseRecord reads time, stream, tag and text (text may contain spaces)', () => {
  const r = parseRecord(Buffer.from('2026-11-25T10:00:01.123456789Z stderr F a b  c'));
  assert.equal(r.stream, 'stderr');
  assert.equal(r.partial, false);
  assert.equal(r.text.toString(), 'a b  c');
  assert.equal(r.timeMs, Date.parse('2026-11-25T10:00:01.123Z'));
  assert.equal(parseRecord(Buffer.from('2026-11-25T10:00:01Z stdout F')).text.length, 0);
  assert.equal(parseRfc3339Ms('2026-11-25T12:00:00+02:00'), Date.parse('2026-11-25T10:00:00Z'));
  assert.throws(() => parseRecord(Buffer.from('garbage')));
});

test('P records are joined up to their F, per stream, across chunk boundaries', () => {
  const a = new LogLineAssembler();
  const data = rec(1, 'stdout', 'P', 'hel') + rec(1, 'stderr', 'F', 'err') + rec(2, 'stdout', 'P', 'lo ') + rec(3, 'stdout', 'F', 'world');
  const lines = [...a.push(Buffer.from(data.slice(0, 40))), ...a.push(Buffer.from(data.slice(40)))];
  assert.deepEqual(lines.map((l) => [l.stream, l.text.toString(), l.time]), [
    ['stderr', 'err\n', T(1)],
    ['stdout', 'hello world\n', T(1)],
  ]);
  a.push(Buffer.from(rec(4, 'stdout', 'P', 'cut')));
  assert.deepEqual(a.flush().map((l) => l.text.toString()), ['cut']);
});

test('whole file, tailLines, timestamps, sinceTime and limitBytes', async () => {
  const { dir, path } = await tempLog([1, 2, 3, 4, 5].map((i) => rec(i, i % 2 ? 'stdout' : 'stderr', 'F', `line${i}`)).join(''));
  try {
    const run = async (o: Partial<LogOptions>) => {
      const c = collector();
      await readLogs(path, opts(o), c.out);
      return c.text();
    };
    assert.equal(await run({}), 'line1\nline2\nline3\nline4\nline5\n');
    assert.equal(await run({ tailLines: 2 }), 'line4\nline5\n');
    assert.equal(await run({ tailLines: 0 }), '');
    assert.equal(await run({ tailLines: 1, timestamps: true }), `${T(5)} line5\n`);
    assert.equal(await run({ sinceTimeMs: Date.parse('2026-11-25T10:00:04Z') }), 'line4\nline5\n');
    assert.equal(await run({ limitBytes: 8 }), 'line1\nli');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('options from the query: sinceSeconds against the clock, validation', () => {
  const q = new URLSearchParams('follow=true&tailLines=10&sinceSeconds=5&timestamps=true&limitBytes=100&previous=true');
  assert.deepEqual(logOptionsFromQuery(q, 100_000), { follow: true, timestamps: true, previous: true, tailLines: 10, limitBytes: 100, sinceTimeMs: 95_000 });
  assert.equal(logOptionsFromQuery(new URLSearchParams('sinceTime=2026-11-25T10:00:00Z'), 0).sinceTimeMs, Date.parse('2026-11-25T10:00:00Z'));
  assert.throws(() => logOptionsFromQuery(new URLSearchParams('tailLines=-1'), 0), LogOptionsError);
  assert.throws(() => logOptionsFromQuery(new URLSearchParams('limitBytes=0'), 0), LogOptionsError);
  assert.throws(() => logOptionsFromQuery(new URLSearchParams('sinceSeconds=1&sinceTime=2026-11-25T10:00:00Z'), 0), LogOptionsError);
});

test('follow streams appended lines and ends once the container stopped and the file is drained', async () => {
  const { dir, path } = await tempLog(rec(1, 'stdout', 'F', 'first'));
  let running = true;
  try {
    const c = collector();
    const done = readLogs(path, opts({ follow: true }), c.out, { isRunning: async () => running, pollMs: 50 });
    await waitFor(() => c.text() === 'first\n', 5000, 'first line');
    await appendFile(path, rec(2, 'stdout', 'P', 'sec'));
    await appendFile(path, rec(2, 'stdout', 'F', 'ond'));
    await waitFor(() => c.text() === 'first\nsecond\n', 5000, 'appended line');
    await appendFile(path, rec(3, 'stderr', 'F', 'last words'));
    running = false;
    await done;
    assert.equal(c.text(), 'first\nsecond\nlast words\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('follow ends when the client goes away, and follows a rotated file', async () => {
  const { dir, path } = await tempLog(rec(1, 'stdout', 'F', 'a'));
  try {
    const c = collector();
    const ac = new AbortController();
    const done = readLogs(path, opts({ follow: true }), c.out, { signal: ac.signal, pollMs: 50 });
    await waitFor(() => c.text() === 'a\n', 5000);
    await appendFile(path, rec(2, 'stdout', 'F', 'b'));
    await rename(path, `${path}.20261125-100000`);
    await writeFile(path, rec(3, 'stdout', 'F', 'c'));
    await waitFor(() => c.text() === 'a\nb\nc\n', 5000, 'rotated file');
    ac.abort();
    await done;
    // limitBytes ends a follow too.
    const c2 = collector();
    await readLogs(path, opts({ follow: true, limitBytes: 1 }), c2.out, { pollMs: 50 });
    assert.equal(c2.text(), 'c');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
