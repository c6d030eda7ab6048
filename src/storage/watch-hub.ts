import type { WatchEvent } from './interface.js';
import { keyMatches, normalizePrefix } from './keys.js';
import { WatchChannel } from './watch-channel.js';

interface Subscription {
  watched: string;
  recursive: boolean;
  channel: WatchChannel;
  /** Live events held back while history is replayed; null once caught up. */
  pending: WatchEvent[] | null;
  /** Events at or below this revision are not delivered. */
  floor: number;
}

export interface HubSubscription {
  channel: WatchChannel;
  /** Replay is done up to `revision`: deliver only events newer than that from now on. */
  caughtUp(revision: number): void;
}

/**
 * In-process fan-out of committed writes to watchers. Backends that own all
 * writes (memory, SQLite) publish each event right after it commits. A watcher
 * subscribes before it replays history (as kine does), so no write falls in
 * the gap between the two.
 */
export class WatchHub {
  private subs = new Set<Subscription>();

  get size(): number {
    return this.subs.size;
  }

  subscribe(key: string, recursive: boolean): HubSubscription {
    const sub: Subscription = {
      watched: recursive ? normalizePrefix(key) : key,
      recursive,
      channel: new WatchChannel(() => this.subs.delete(sub)),
      pending: [],
      floor: 0,
    };
    this.subs.add(sub);
    return {
      channel: sub.channel,
      caughtUp: (revision: number) => {
        const held = sub.pending ?? [];
        sub.pending = null;
        sub.floor = revision;
        for (const e of held) if (e.kv.modRevision > revision) sub.channel.push(e);
      },
    };
  }

  publish(event: WatchEvent): void {
    for (const sub of this.subs) {
      if (!keyMatches(event.kv.key, sub.watched, sub.recursive)) continue;
      if (event.kv.modRevision <= sub.floor) continue;
      if (sub.pending) sub.pending.push(event);
      else sub.channel.push(event);
    }
  }

  closeAll(err?: unknown): void {
    for (const sub of [...this.subs]) {
      if (err) sub.channel.fail(err);
      else sub.channel.stop();
    }
    this.subs.clear();
  }
}
