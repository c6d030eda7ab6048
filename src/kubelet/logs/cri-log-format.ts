// The CRI container log file format: one record per line,
// `<RFC3339Nano> <stdout|stderr> <P|F>[:more tags] <text>`. A logical line
// longer than the runtime's buffer is written as P (partial) records followed
// by one F (full) record; both streams share the file.

export type LogStream = 'stdout' | 'stderr';

export interface LogRecord {
  /** The timestamp as written (RFC 3339 with up to 9 fractional digits). */
  time: string;
  /** Milliseconds since the epoch (for since filters). */
  timeMs: number;
  stream: LogStream;
  partial: boolean;
  text: Buffer;
}

/** A logical line: P records joined up to their F, with the first record's time. */
export interface LogLine {
  time: string;
  timeMs: number;
  stream: LogStream;
  /** The content including its trailing newline (absent only for a line cut short at the end of a stopped container's log). */
  text: Buffer;
}

export class LogFormatError extends Error {
  override name = 'LogFormatError';
}

const SPACE = 0x20;

/** Parses an RFC 3339 time with optional fraction; returns NaN when it is not one. */
export function parseRfc3339Ms(s: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return NaN;
  const ms = m[2] ? Number(m[2].slice(0, 3).padEnd(3, '0')) : 0;
  return Date.parse(`${m[1]}${m[3]}`) + ms;
}

/** Parses one record (without its newline). Throws LogFormatError on malformed input. */
export function parseRecord(line: Buffer): LogRecord {
  const a = line.indexOf(SPACE);
  const b = a < 0 ? -1 : line.indexOf(SPACE, a + 1);
  const c = b < 0 ? -1 : line.indexOf(SPACE, b + 1);
  // An empty F record may lack the space before its (empty) text.
  const tagEnd = c < 0 ? line.length : c;
  if (a < 0 || b < 0) throw new LogFormatError(`malformed CRI log line: ${JSON.stringify(line.toString('utf8').slice(0, 80))}`);
  const time = line.subarray(0, a).toString('latin1');
  const timeMs = parseRfc3339Ms(time);
  const stream = line.subarray(a + 1, b).toString('latin1');
  const tags = line.subarray(b + 1, tagEnd).toString('latin1').split(':');
  if (Number.isNaN(timeMs)) throw new LogFormatError(`malformed CRI log time ${JSON.stringify(time)}`);
  if (stream !== 'stdout' && stream !== 'stderr') throw new LogFormatError(`unknown CRI log stream ${JSON.stringify(stream)}`);
  if (tags[0] !== 'P' && tags[0] !== 'F') throw new LogFormatError(`unknown CRI log tag ${JSON.stringify(tags[0])}`);
  return { time, timeMs, stream, partial: tags[0] === 'P', text: c < 0 ? Buffer.alloc(0) : line.subarray(c + 1) };
}

/**
 * Turns file bytes into logical lines, incrementally: feed chunks as they are
 * read; a record cut at the chunk's end waits for the rest. Partial records
 * are joined per stream, since stdout and stderr interleave in one file.
 */
export class LogLineAssembler {
  private carry: Buffer = Buffer.alloc(0);
  private pending = new Map<LogStream, { time: string; timeMs: number; parts: Buffer[] }>();

  constructor(private readonly onMalformed: (err: LogFormatError) => void = () => {}) {}

  push(chunk: Buffer): LogLine[] {
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const out: LogLine[] = [];
    let start = 0;
    for (;;) {
      const nl = data.indexOf(0x0a, start);
      if (nl < 0) break;
      const raw = data.subarray(start, nl);
      start = nl + 1;
      if (raw.length === 0) continue;
      let rec: LogRecord;
      try {
        rec = parseRecord(raw);
      } catch (err) {
        this.onMalformed(err as LogFormatError);
        continue;
      }
      const line = this.join(rec);
      if (line) out.push(line);
    }
    // Copy so the retained tail does not pin the whole read buffer.
    this.carry = Buffer.from(data.subarray(start));
    return out;
  }

  /** Lines still waiting for their F record (for a stopped container whose log ends mid-line). */
  flush(): LogLine[] {
    const out: LogLine[] = [];
    for (const [stream, p] of this.pending) out.push({ time: p.time, timeMs: p.timeMs, stream, text: Buffer.concat(p.parts) });
    this.pending.clear();
    return out.sort((x, y) => x.timeMs - y.timeMs);
  }

  private join(rec: LogRecord): LogLine | null {
    const p = this.pending.get(rec.stream);
    if (rec.partial) {
      if (p) p.parts.push(rec.text);
      else this.pending.set(rec.stream, { time: rec.time, timeMs: rec.timeMs, parts: [rec.text] });
      return null;
    }
    this.pending.delete(rec.stream);
    const nl = Buffer.from('\n');
    if (!p) return { time: rec.time, timeMs: rec.timeMs, stream: rec.stream, text: Buffer.concat([rec.text, nl]) };
    return { time: p.time, timeMs: p.timeMs, stream: rec.stream, text: Buffer.concat([...p.parts, rec.text, nl]) };
  }
}
