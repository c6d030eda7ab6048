// Streams a container's CRI log file to a client as kubectl logs expects:
// tail, since, timestamps, limitBytes, and follow (until the container has
// stopped and the file is drained, or the client goes away).
import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { realClock, type Clock } from '../../util/clock.js';
import { LogLineAssembler, type LogLine } from './cri-log-format.js';
import type { LogOptions } from './log-options.js';
import { drained } from '../../util/drained.js';

export interface ReadLogsDeps {
  /** Whether the container may still write (follow ends once it is false and the file is drained). */
  isRunning?: () => Promise<boolean>;
  signal?: AbortSignal;
  clock?: Clock;
  /** Fallback poll period for follow (fs.watch can miss events, e.g. on overlay or after rotation). */
  pollMs?: number;
}

const CHUNK = 64 * 1024;

/** Writes lines honouring back-pressure and limitBytes; false once nothing more may be written. */
class LineWriter {
  private written = 0;
  done = false;

  constructor(
    private readonly out: Writable,
    private readonly opts: LogOptions,
  ) {}

  async write(line: LogLine): Promise<void> {
    if (this.done) return;
    if (this.opts.sinceTimeMs !== undefined && line.timeMs < this.opts.sinceTimeMs) return;
    let buf = this.opts.timestamps ? Buffer.concat([Buffer.from(`${line.time} `), line.text]) : line.text;
    if (this.opts.limitBytes !== undefined) {
      const left = this.opts.limitBytes - this.written;
      if (buf.length >= left) {
        buf = buf.subarray(0, left);
        this.done = true;
      }
    }
    this.written += buf.length;
    if (this.out.destroyed) {
      this.done = true;
      return;
    }
    if (!this.out.write(buf)) await drained(this.out);
  }
}

/** Reads from `fh` at `pos` to the current end; returns the new position. */
async function readToEnd(fh: FileHandle, pos: number, sink: (chunk: Buffer) => Promise<void>): Promise<number> {
  const buf = Buffer.alloc(CHUNK);
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
    if (bytesRead === 0) return pos;
    pos += bytesRead;
    await sink(Buffer.from(buf.subarray(0, bytesRead)));
  }
}

/**
 * Writes the log at `path` to `out` (which is not ended here). Resolves when
 * everything asked for is written, or the client went away.
 */
export async function readLogs(path: string, opts: LogOptions, out: Writable, deps: ReadLogsDeps = {}): Promise<void> {
  const clock = deps.clock ?? realClock;
  const writer = new LineWriter(out, opts);
  const assembler = new LogLineAssembler();
  let fh = await open(path, 'r');
  try {
    let pos = 0;
    // The initial read: with tailLines, only the last N complete lines are kept.
    const tail: LogLine[] = [];
    const tailN = opts.tailLines;
    pos = await readToEnd(fh, pos, async (chunk) => {
      for (const line of assembler.push(chunk)) {
        if (tailN === undefined) await writer.write(line);
        else if (tailN > 0) {
          tail.push(line);
          if (tail.length > tailN) tail.shift();
        }
      }
    });
    for (const line of tail) await writer.write(line);
    if (!opts.follow || writer.done) {
      // A log that ends mid-line (stopped container) still shows its last words.
      if (!opts.follow && tailN === undefined) for (const line of assembler.flush()) await writer.write(line);
      return;
    }

    const follow = new Follower(path, clock, deps.pollMs ?? 1000, deps.signal, out);
    try {
      for (;;) {
        const before = pos;
        pos = await readToEnd(fh, pos, async (chunk) => {
          for (const line of assembler.push(chunk)) await writer.write(line);
        });
        if (writer.done || follow.aborted) return;
        // Rotation: the path now names a new file; the old one is drained above.
        const rotated = await follow.rotated(fh);
        if (rotated) {
          await fh.close();
          fh = rotated;
          pos = 0;
          continue;
        }
        // The runtime is asked only when the file is quiet; a last read after it
        // reports the container stopped picks up its final writes.
        if (pos === before && deps.isRunning && !(await deps.isRunning())) {
          pos = await readToEnd(fh, pos, async (chunk) => {
            for (const line of assembler.push(chunk)) await writer.write(line);
          });
          for (const line of assembler.flush()) await writer.write(line);
          return;
        }
        await follow.next();
        if (follow.aborted) return;
      }
    } finally {
      follow.close();
    }
  } finally {
    await fh.close();
  }
}

/** Wakes the follow loop on a file change, a poll tick, or the client leaving. */
class Follower {
  private watcher: FSWatcher | null = null;
  private wake: (() => void) | null = null;
  private changed = false;
  aborted = false;
  private timer: unknown = null;
  private readonly onAbort = () => {
    this.aborted = true;
    this.fire();
  };

  constructor(
    private readonly path: string,
    private readonly clock: Clock,
    private readonly pollMs: number,
    private readonly signal: AbortSignal | undefined,
    private readonly out: Writable,
  ) {
    try {
      this.watcher = watch(path, () => this.fire());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      this.watcher = null; // the poll still works
    }
    signal?.addEventListener('abort', this.onAbort);
    if (signal?.aborted) this.aborted = true;
    out.on('close', this.onAbort);
  }

  private fire(): void {
    this.changed = true;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  next(): Promise<void> {
    if (this.changed || this.aborted) {
      this.changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.timer = this.clock.setTimeout(() => this.fire(), this.pollMs);
      this.wake = () => {
        this.clock.clearTimeout(this.timer);
        this.changed = false;
        resolve();
      };
    });
  }

  /** A handle on the new file when `path` no longer names the open one. */
  async rotated(fh: FileHandle): Promise<FileHandle | null> {
    try {
      const [cur, open_] = await Promise.all([stat(this.path), fh.stat()]);
      if (cur.ino === open_.ino && cur.dev === open_.dev) return null;
      const fresh = await open(this.path, 'r');
      this.watcher?.close();
      try {
        this.watcher = watch(this.path, () => this.fire());
        this.watcher.on('error', () => this.watcher?.close());
      } catch {
        this.watcher = null;
      }
      return fresh;
    } catch {
      return null; // between rename and create: the next tick sees the new file
    }
  }

  close(): void {
    this.watcher?.close();
    this.clock.clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.out.off('close', this.onAbort);
  }
}
