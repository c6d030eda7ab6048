// Joins two duplex streams byte for byte (an upgraded HTTP connection and
// the one it is proxied to). When one side closes, the other is ended, not
// destroyed: what is still queued for it (a slow reader's backlog) is
// delivered first. It goes once its peer has closed its end too (destroying
// a socket with unread input would reset the connection and could lose what
// was just flushed), or after `drainMs` if the peer never does.
import type { Duplex } from 'node:stream';

export function splice(a: Duplex, b: Duplex, onError: (err: Error) => void, drainMs = 30_000): void {
  a.pipe(b);
  b.pipe(a);
  const finishThenClose = (other: Duplex) => () => {
    if (other.destroyed) return;
    const timer = setTimeout(() => other.destroy(), drainMs);
    timer.unref?.();
    other.once('close', () => clearTimeout(timer));
    let finished = other.writableFinished;
    let ended = other.readableEnded;
    const maybeDestroy = () => {
      if (finished && ended) other.destroy();
    };
    other.once('finish', () => {
      finished = true;
      maybeDestroy();
    });
    other.once('end', () => {
      ended = true;
      maybeDestroy();
    });
    // Its input has nowhere to go now: read it away so that its end arrives.
    other.resume();
    other.end();
    maybeDestroy();
  };
  a.once('close', finishThenClose(b));
  b.once('close', finishThenClose(a));
  a.on('error', onError);
  b.on('error', onError);
}
