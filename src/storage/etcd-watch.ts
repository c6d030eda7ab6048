// One etcd watch behind a WatchChannel that survives broken streams: it
// reopens from the last revision it delivered, so the consumer sees every
// event exactly once, or an Expired failure when that history is gone.
import type { Etcd3, IDuplexStream, IEvent, IWatchRequest, IWatchResponse } from 'etcd3';
import { isStorageError, StorageError, unavailable } from './errors.js';
import type { WatchEvent } from './interface.js';
import { WatchChannel } from './watch-channel.js';

export interface WatchTarget {
  key: Buffer;
  /** Set for a prefix watch. */
  rangeEnd?: Buffer;
}

type Stream = IDuplexStream<IWatchRequest, IWatchResponse>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const watchExpired = (revision: number, compacted: string) =>
  new StorageError('Expired', `watch from revision ${revision} is compacted (etcd compacted up to ${compacted})`);

export class ResumingWatch {
  readonly channel: WatchChannel;
  private stream: Stream | undefined;
  private stopped = false;
  private progressTimer: NodeJS.Timeout | undefined;
  /** Called with a revision up to which every event has been delivered, once per requestProgress(). */
  onProgress: ((revision: number) => void) | undefined;

  constructor(
    private readonly client: Etcd3,
    private readonly target: WatchTarget,
    /** Events at or below this revision have been delivered (or predate the watch). */
    private lastRev: number,
    private readonly toEvent: (e: IEvent) => WatchEvent,
    private readonly timeoutMs: number,
    onStop: () => void,
  ) {
    this.channel = new WatchChannel(() => {
      this.stopInternal();
      onStop();
    });
  }

  /** Establishes the first stream: rejects with Expired, or Unavailable once the timeout runs out. */
  async open(): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    let backoff = 25;
    for (;;) {
      if (this.stopped) throw unavailable('watch stopped (store closed)');
      try {
        await this.connectOnce(Math.max(1, deadline - Date.now()));
        return;
      } catch (err) {
        if (isStorageError(err, 'Expired') || Date.now() + backoff >= deadline) {
          this.channel.stop();
          throw isStorageError(err) ? err : unavailable(`watch: ${String(err)}`, err);
        }
      }
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 400);
    }
  }

  stop(): void {
    this.channel.stop(); // calls stopInternal through onStop
  }

  /**
   * Asks etcd for a progress notification. etcd answers only while the
   * watcher is caught up (and not at all on a broken stream), so ask again
   * until an answer arrives.
   */
  requestProgress(): void {
    if (this.stopped || this.progressTimer) return;
    const ask = () => {
      this.stream?.write({ progress_request: {} });
      this.progressTimer = setTimeout(ask, 200);
    };
    ask();
  }

  private stopInternal(): void {
    this.stopped = true;
    clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
    const s = this.stream;
    this.stream = undefined;
    s?.cancel();
  }

  /** Reopens after a broken stream until it works, the history is compacted, or the watch is stopped. */
  private async resume(): Promise<void> {
    let backoff = 50;
    while (!this.stopped) {
      try {
        await this.connectOnce(this.timeoutMs);
        return;
      } catch (err) {
        if (isStorageError(err, 'Expired')) {
          this.channel.fail(err);
          return;
        }
      }
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 1000);
    }
  }

  private broken(stream: Stream): void {
    if (this.stream !== stream || this.stopped) return;
    this.stream = undefined;
    stream.cancel();
    void this.resume();
  }

  private connectOnce(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let created = false;
      let settled = false;
      let stream: Stream | undefined;
      const settle = (err?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err === undefined) return resolve();
        stream?.cancel();
        if (this.stream === stream) this.stream = undefined;
        reject(err);
      };
      const timer = setTimeout(() => settle(unavailable('watch was not established in time')), timeoutMs);
      const startRev = this.lastRev + 1;

      this.client.watchClient.watch().then((s) => {
        stream = s;
        if (settled || this.stopped) {
          s.cancel();
          if (!settled) settle(unavailable('watch stopped'));
          return;
        }
        this.stream = s;
        const failed = (err: unknown) => (created ? this.broken(s) : settle(err));
        s.on('error', failed);
        s.on('end', () => failed(unavailable('watch stream ended')));
        s.on('data', (res) => {
          if (this.stream !== s) return;
          if (res.canceled) {
            const compacted = res.compact_revision && res.compact_revision !== '0';
            const err = compacted ? watchExpired(startRev - 1, res.compact_revision) : unavailable(`watch canceled: ${res.cancel_reason}`);
            if (!created) return settle(err);
            if (compacted) {
              this.stream = undefined;
              s.cancel();
              this.channel.fail(err);
            } else {
              this.broken(s);
            }
            return;
          }
          if (res.created && !created) {
            created = true;
            settle();
          }
          this.deliver(res);
        });
        s.write({
          create_request: {
            key: this.target.key,
            ...(this.target.rangeEnd ? { range_end: this.target.rangeEnd } : {}),
            start_revision: startRev,
            prev_kv: true,
            progress_notify: true,
          },
        });
      }, (err: unknown) => settle(err));
    });
  }

  private deliver(res: IWatchResponse): void {
    if (res.events.length === 0) {
      if (res.created) return;
      // A progress notification: everything up to the header revision has been sent.
      this.lastRev = Math.max(this.lastRev, Number(res.header.revision));
      if (this.progressTimer) {
        clearTimeout(this.progressTimer);
        this.progressTimer = undefined;
        this.onProgress?.(this.lastRev);
      }
      return;
    }
    let max = this.lastRev;
    for (const e of res.events) {
      const rev = Number(e.kv.mod_revision);
      if (rev <= this.lastRev) continue; // replayed after a resume
      this.channel.push(this.toEvent(e));
      max = Math.max(max, rev);
    }
    this.lastRev = max;
  }
}
