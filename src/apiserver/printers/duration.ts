// Human-readable durations with the same thresholds as apimachinery's
// duration.HumanDuration, so AGE columns read exactly as on a real cluster.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's int(x) for a float: truncation toward zero. */
const trunc = (x: number): number => Math.trunc(x);

export function humanDuration(ms: number): string {
  const seconds = trunc(ms / SECOND);
  // Up to 2 s in the future is clock skew: treat as "now".
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    const d = trunc(hours / 24);
    return h === 0 ? `${d}d` : `${d}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const years = trunc(hours / 24 / 365);
    const dy = trunc(hours / 24) % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${trunc(hours / 24 / 365)}y`;
}

/** Parses an RFC 3339 timestamp; undefined when absent or unparsable. */
export function parseTime(ts: unknown): Date | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Age of a timestamp as upstream's translateTimestampSince: `<unknown>` when unset. */
export function timestampSince(ts: unknown, now: Date): string {
  const t = parseTime(ts);
  if (!t) return '<unknown>';
  return humanDuration(now.getTime() - t.getTime());
}
