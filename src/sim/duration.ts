// Go-style durations ("150ms", "5s", "1m30s", "1.5h") as milliseconds: the
// format KWOK stages and our annotations use.
import { SimConfigError } from './errors.js';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/** Parses a duration; a bare number is milliseconds. Throws SimConfigError. */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new SimConfigError(`invalid duration ${input}`);
    return input;
  }
  const s = input.trim();
  if (s.length === 0) throw new SimConfigError('empty duration');
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) throw new SimConfigError(`invalid duration ${JSON.stringify(input)}`);
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = PART.lastIndex;
  }
  return total;
}
