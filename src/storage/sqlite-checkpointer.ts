import { Worker } from 'node:worker_threads';
import type { CheckpointReply, CheckpointThreadData } from './sqlite-checkpoint-thread.js';

export interface CheckpointerOptions {
  /** Bytes committed since the last checkpoint that call for the next one (about 1,000 WAL pages by default, SQLite's own point). */
  thresholdBytes?: number;
  /** A WAL this many frames long is checkpointed and truncated by the writer itself, even though that blocks it. */
  maxWalFrames?: number;
}

/** What the writer's connection must do itself: a last-resort checkpoint that also empties the WAL. */
export type BlockingCheckpoint = () => void;

const DEFAULT_THRESHOLD = 2 * 1024 * 1024;
const DEFAULT_MAX_WAL_FRAMES = 64 * 1024;

/**
 * Keeps the WAL short from a worker thread, so that the writer's commits only
 * ever append to it. The thread starts with the first checkpoint: a store
 * that never writes much never pays for it. If the thread fails, checkpoints
 * fall back to the writer's own connection.
 */
export class SqliteCheckpointer {
  private worker: Worker | undefined;
  private exited: Promise<unknown> | undefined;
  private pendingBytes = 0;
  private inFlight = false;
  private failed = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly thresholdBytes: number;
  private readonly maxWalFrames: number;
  /** Checkpoints completed by the thread, for tests and diagnostics. */
  completed = 0;

  constructor(
    private readonly data: CheckpointThreadData,
    private readonly blockingCheckpoint: BlockingCheckpoint,
    options: CheckpointerOptions = {},
  ) {
    this.thresholdBytes = options.thresholdBytes ?? DEFAULT_THRESHOLD;
    this.maxWalFrames = options.maxWalFrames ?? DEFAULT_MAX_WAL_FRAMES;
  }

  /** Called after each commit with roughly how many bytes it added to the WAL. */
  noteCommitted(bytes: number): void {
    this.pendingBytes += bytes;
    if (this.pendingBytes >= this.thresholdBytes) this.request();
  }

  /** Whether the thread was ever started. */
  get threadStarted(): boolean {
    return this.worker !== undefined;
  }

  /** Resolves once no checkpoint is running. */
  idle(): Promise<void> {
    return this.inFlight ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  private request(): void {
    if (this.inFlight || this.closed) return;
    this.pendingBytes = 0;
    if (this.failed) {
      this.blockingCheckpoint();
      return;
    }
    this.inFlight = true;
    const worker = this.thread();
    worker.ref(); // only while a checkpoint runs: an idle thread never keeps the process alive
    worker.postMessage('checkpoint');
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./sqlite-checkpoint-thread.js', import.meta.url), { workerData: this.data });
    worker.on('message', (reply: CheckpointReply) => this.onReply(reply));
    worker.on('error', () => this.fail());
    this.exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.once('exit', () => {
      if (!this.closed) this.fail();
    });
    this.worker = worker;
    return worker;
  }

  private onReply(reply: CheckpointReply): void {
    this.inFlight = false;
    if (!this.closed) this.worker?.unref(); // a closing thread stays ref'd until it exits
    if (reply.type === 'failed') {
      this.fail();
    } else {
      this.completed++;
      // Under a steady stream of writes the WAL may never be fully copied
      // at the moment the writer could restart it, so it keeps growing.
      if (reply.walFrames > this.maxWalFrames) this.blockingCheckpoint();
    }
    this.wakeIdle();
    if (this.pendingBytes >= this.thresholdBytes) this.request();
  }

  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    this.inFlight = false;
    this.wakeIdle();
  }

  private wakeIdle(): void {
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Stops the thread; the writer's connection checkpoints what is left as it closes. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.worker) return;
    this.worker.ref();
    this.worker.postMessage('close');
    await this.exited;
  }
}
