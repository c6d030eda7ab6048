// Cron schedules as the CronJob API takes them (robfig/cron's standard
// syntax): five fields, `*`/`?`, ranges, steps, lists, month and weekday
// names, @-macros, and a `CRON_TZ=`/`TZ=` prefix; times in an IANA zone.

export class CronParseError extends Error {
  override name = 'CronParseError';
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  /** Day of month / day of week given as a bare `*` or `?`: then both must match, else either. */
  domStar: boolean;
  dowStar: boolean;
  /** IANA zone from a CRON_TZ=/TZ= prefix, if any. */
  timeZone?: string;
}

function parseValue(s: string, f: FieldSpec): number {
  const i = f.names?.indexOf(s.toLowerCase()) ?? -1;
  if (i >= 0) return i + f.min;
  if (!/^\d+$/.test(s)) throw new CronParseError(`failed to parse int from ${s}: invalid ${f.name}`);
  return Number(s);
}

/** One field; returns its values and whether it was a bare star. */
function parseField(expr: string, f: FieldSpec): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of expr.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === undefined || range === '') throw new CronParseError(`invalid ${f.name} expression: ${part}`);
    let lo: number;
    let hi: number;
    let isStar = false;
    if (range === '*' || range === '?') {
      [lo, hi, isStar] = [f.min, f.max, true];
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) throw new CronParseError(`too many hyphens: ${part}`);
      lo = parseValue(bounds[0]!, f);
      hi = bounds.length === 2 ? parseValue(bounds[1]!, f) : lo;
      // `N/step` means N through the maximum.
      if (bounds.length === 1 && stepText !== undefined) hi = f.max;
    }
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw new CronParseError(`invalid step in ${part}`);
      step = Number(stepText);
    }
    if (lo < f.min) throw new CronParseError(`beginning of range (${lo}) below minimum (${f.min}): ${part}`);
    if (hi > f.max) throw new CronParseError(`end of range (${hi}) above maximum (${f.max}): ${part}`);
    if (lo > hi) throw new CronParseError(`beginning of range (${lo}) beyond end of range (${hi}): ${part}`);
    for (let v = lo; v <= hi; v += step) values.add(v);
    if (isStar && step === 1) star = true;
  }
  return { values, star };
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function parseCronSchedule(input: string): CronSchedule {
  let spec = input.trim();
  let timeZone: string | undefined;
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(spec);
  if (tz) {
    timeZone = tz[1]!;
    if (!isValidTimeZone(timeZone)) throw new CronParseError(`provided bad location ${timeZone}: unknown time zone ${timeZone}`);
    spec = tz[2]!.trim();
  }
  if (spec.startsWith('@')) {
    const m = MACROS[spec.toLowerCase()];
    if (!m) throw new CronParseError(`unrecognized descriptor: ${spec}`);
    spec = m;
  }
  const fields = spec.split(/\s+/).filter((x) => x !== '');
  if (fields.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: ${input}`);
  const parsed = fields.map((x, i) => parseField(x, FIELDS[i]!));
  return {
    minutes: parsed[0]!.values,
    hours: parsed[1]!.values,
    daysOfMonth: parsed[2]!.values,
    months: parsed[3]!.values,
    daysOfWeek: parsed[4]!.values,
    domStar: parsed[2]!.star,
    dowStar: parsed[4]!.star,
    ...(timeZone ? { timeZone } : {}),
  };
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The wall-clock fields of an instant in a zone. */
export function wallTime(ms: number, timeZone: string): WallTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) out[p.type] = p.value;
  return { year: Number(out.year), month: Number(out.month), day: Number(out.day), hour: Number(out.hour), minute: Number(out.minute), weekday: WEEKDAYS.indexOf(out.weekday ?? '') };
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const MINUTE = 60_000;

function dayMatches(s: CronSchedule, t: WallTime): boolean {
  const dom = s.daysOfMonth.has(t.day);
  const dow = s.daysOfWeek.has(t.weekday);
  return s.domStar || s.dowStar ? dom && dow : dom || dow;
}

/**
 * The first activation strictly after `afterMs`, or undefined if none in the
 * next five years (e.g. `0 0 30 2 *`). Works on wall-clock fields in the zone,
 * skipping whole months, days and hours that cannot match.
 */
export function nextActivation(s: CronSchedule, afterMs: number, timeZone = s.timeZone ?? 'UTC'): number | undefined {
  let t = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
  const limit = afterMs + 5 * 366 * 24 * 60 * MINUTE;
  while (t <= limit) {
    const w = wallTime(t, timeZone);
    if (!s.months.has(w.month)) t += ((daysInMonth(w.year, w.month) - w.day) * 1440 + (23 - w.hour) * 60 + (60 - w.minute)) * MINUTE;
    else if (!dayMatches(s, w)) t += ((23 - w.hour) * 60 + (60 - w.minute)) * MINUTE;
    else if (!s.hours.has(w.hour)) t += (60 - w.minute) * MINUTE;
    else if (!s.minutes.has(w.minute)) t += MINUTE;
    else return t;
  }
  return undefined;
}
