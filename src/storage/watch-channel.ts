import type { WatchEvent, Watcher } from './interface.js';

/**
 * An unbounded async queue of watch events: the backend pushes, the consumer
 * iterates. `fail` ends the iteration with an error; `stop` ends it quietly.
 */
export class WatchChannel implements Watcher {
  private queue: WatchEvent[] = [];
  private waiting: ((r: IteratorResult<WatchEvent>) => void) | null = null;
  private rejectWaiting: ((e: unknown) => void) | null = null;
  private error: unknown = null;
  private done = false;
  private readonly onStop: () => void;
  requestProgress?: () => void;

  constructor(onStop: () => void = () => {}) {
    this.onStop = onStop;
  }

  get stopped(): boolean {
    return this.done;
  }

  push(event: WatchEvent): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.rejectWaiting = null;
      resolve({ value: event, done: false });
    } else {
      this.queue.push(event);
    }
  }

  fail(err: unknown): void {
    if (this.done) return;
    this.error = err;
    this.finish();
  }

  stop(): void {
    if (this.done) return;
    this.queue = [];
    this.finish();
  }

  private finish(): void {
    this.done = true;
    this.onStop();
    if (this.waiting) {
      const resolve = this.waiting;
      const reject = this.rejectWaiting!;
      this.waiting = this.rejectWaiting = null;
      if (this.error && this.queue.length === 0) reject(this.error);
      else resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return {
      next: () => {
        const event = this.queue.shift();
        if (event) return Promise.resolve({ value: event, done: false });
        if (this.done) {
          if (this.error) {
            const err = this.error;
            this.error = null;
            return Promise.reject(err);
          }
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.rejectWaiting = reject;
        });
      },
      return: () => {
        this.stop();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
