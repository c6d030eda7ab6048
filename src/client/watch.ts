// Watch streams: newline-delimited `{"type","object"}` events. Data events go
// to the callback; an ERROR event ends the watch with its Status as a typed
// error, so callers (informers) can tell 410 Gone from other failures.
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../api/meta.js';
import { ApiStatusError, ApiTransportError, type Status } from './errors.js';
import { LineDecoder } from './line-decoder.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

export interface WatchHandle {
  /** Ends the watch; `done` then resolves. */
  stop(): void;
  /** Resolves when the stream ends (server timeout or stop); rejects on ERROR events or broken streams. */
  done: Promise<void>;
}

export class WatchDecodeError extends Error {
  override name = 'WatchDecodeError';
}

const DATA_TYPES = new Set<string>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

/** Parses one event line: a data event, or the typed error an ERROR event carries. */
export function parseWatchLine<T extends KubeObject>(line: string): WatchEvent<T> | ApiStatusError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new WatchDecodeError(`watch: malformed event: ${line.slice(0, 200)}`);
  }
  const e = parsed as { type?: unknown; object?: unknown };
  if (typeof e !== 'object' || e === null || typeof e.type !== 'string' || typeof e.object !== 'object' || e.object === null) {
    throw new WatchDecodeError(`watch: malformed event: ${line.slice(0, 200)}`);
  }
  if (e.type === 'ERROR') return ApiStatusError.fromStatus(e.object as Status);
  if (!DATA_TYPES.has(e.type)) throw new WatchDecodeError(`watch: unknown event type ${e.type}`);
  return { type: e.type as WatchEventType, object: e.object as T };
}

/** Consumes an open watch response, calling `onEvent` per data event. */
export function consumeWatch<T extends KubeObject>(res: IncomingMessage, onEvent: (e: WatchEvent<T>) => void): WatchHandle {
  const decoder = new LineDecoder();
  let stopped = false;
  let settle: (err?: unknown) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    let settled = false;
    settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      if (err === undefined) resolve();
      else reject(err);
      res.destroy();
    };
  });
  const handle = (lines: string[]) => {
    for (const line of lines) {
      if (stopped) return;
      let ev: WatchEvent<T> | ApiStatusError;
      try {
        ev = parseWatchLine<T>(line);
      } catch (err) {
        settle(err);
        return;
      }
      if (ev instanceof ApiStatusError) {
        settle(ev);
        return;
      }
      onEvent(ev);
    }
  };
  res.on('data', (chunk: Buffer) => handle(decoder.push(chunk)));
  res.on('end', () => {
    handle(decoder.flush());
    settle();
  });
  res.on('error', (err) => settle(stopped ? undefined : new ApiTransportError(`watch stream: ${err.message}`, err)));
  res.on('close', () => settle(stopped || res.complete ? undefined : new ApiTransportError('watch stream closed before it ended')));
  return {
    stop() {
      stopped = true;
      settle();
    },
    done,
  };
}
