// Go-style durations as the upstream flags take them ("40s", "1m30s",
// "500ms"); a bare number is seconds.

export class DurationParseError extends Error {
  override name = 'DurationParseError';
}

const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** The duration in seconds. */
export function parseDurationSeconds(text: string): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    end = re.lastIndex;
  }
  if (s === '' || end !== s.length) throw new DurationParseError(`invalid duration ${JSON.stringify(text)}`);
  return total;
}
