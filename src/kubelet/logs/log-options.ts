// kubectl logs options (the query of GET /containerLogs/...), validated as upstream does.

export interface LogOptions {
  follow: boolean;
  /** Only the last N lines; undefined = all. */
  tailLines?: number;
  /** Only lines at or after this time (ms since epoch); from sinceSeconds or sinceTime. */
  sinceTimeMs?: number;
  timestamps: boolean;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
  /** The previous (terminated) instance of the container. */
  previous: boolean;
}

export class LogOptionsError extends Error {
  override name = 'LogOptionsError';
}

const flag = (q: URLSearchParams, name: string) => ['true', '1'].includes((q.get(name) ?? '').toLowerCase());

function intParam(q: URLSearchParams, name: string, min: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw new LogOptionsError(`${name}: invalid value ${JSON.stringify(v)}: must be an integer`);
  const n = Number(v);
  if (n < min) throw new LogOptionsError(`${name}: Invalid value: ${n}: must be greater than or equal to ${min}`);
  return n;
}

export function logOptionsFromQuery(q: URLSearchParams, nowMs: number): LogOptions {
  const sinceSeconds = intParam(q, 'sinceSeconds', 1);
  const sinceTime = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw new LogOptionsError('at most one of sinceTime or sinceSeconds may be specified');
  let sinceTimeMs: number | undefined;
  if (sinceSeconds !== undefined) sinceTimeMs = nowMs - sinceSeconds * 1000;
  else if (sinceTime) {
    sinceTimeMs = Date.parse(sinceTime);
    if (Number.isNaN(sinceTimeMs)) throw new LogOptionsError(`sinceTime: invalid value ${JSON.stringify(sinceTime)}: must be RFC 3339`);
  }
  const opts: LogOptions = { follow: flag(q, 'follow'), timestamps: flag(q, 'timestamps'), previous: flag(q, 'previous') };
  const tailLines = intParam(q, 'tailLines', 0);
  const limitBytes = intParam(q, 'limitBytes', 1);
  if (tailLines !== undefined) opts.tailLines = tailLines;
  if (limitBytes !== undefined) opts.limitBytes = limitBytes;
  if (sinceTimeMs !== undefined) opts.sinceTimeMs = sinceTimeMs;
  return opts;
}
