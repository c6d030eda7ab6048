// apimachinery types whose JSON form is not an object of their protobuf fields:
// Time, MicroTime and Duration are strings, Quantity a string, IntOrString a number
// or a string, FieldsV1 and RawExtension embedded JSON, ExtraValue a bare array.
import { ProtobufDecodeError } from './errors.js';

export type JsonRecord = Record<string, unknown>;

interface SpecialType {
  /** JSON value for a decoded message, or undefined when it is the zero value (omitted). */
  toJson(msg: JsonRecord): unknown;
  /** Plain object for protobufjs' fromObject, from the JSON value. */
  fromJson(value: unknown, where: string): JsonRecord;
}

export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'object' && v !== null && 'toNumber' in v && typeof v.toNumber === 'function') {
    const n: unknown = v.toNumber();
    if (typeof n === 'number') return n;
  }
  if (typeof v === 'string' && v !== '') return Number(v);
  return 0;
}

function bytesOf(v: unknown): Uint8Array {
  return v instanceof Uint8Array ? v : new Uint8Array(0);
}

function formatTime(msg: JsonRecord, fractionDigits: 0 | 6): string | undefined {
  const seconds = toNumber(msg['seconds']);
  const nanos = toNumber(msg['nanos']);
  if (seconds === 0 && nanos === 0) return undefined; // Go's zero time travels as an empty message
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (fractionDigits === 0) return `${iso}Z`;
  return `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

function parseTime(value: unknown, where: string): JsonRecord {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new TypeError(`${where}: expected an RFC 3339 time, got ${JSON.stringify(value)}`);
  const frac = typeof value === 'string' ? /\.(\d+)/.exec(value)?.[1] ?? '' : '';
  return { seconds: Math.floor(ms / 1000), nanos: Number((frac + '000000000').slice(0, 9)) };
}

/** Go's time.Duration String(), e.g. 1h2m3.5s, 300ms. */
export function formatGoDuration(totalNs: number): string {
  if (totalNs === 0) return '0s';
  const sign = totalNs < 0 ? '-' : '';
  let ns = Math.abs(totalNs);
  if (ns < 1e3) return `${sign}${ns}ns`;
  if (ns < 1e6) return `${sign}${ns / 1e3}µs`;
  if (ns < 1e9) return `${sign}${ns / 1e6}ms`;
  const h = Math.floor(ns / 3.6e12);
  ns -= h * 3.6e12;
  const m = Math.floor(ns / 6e10);
  ns -= m * 6e10;
  return `${sign}${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${ns / 1e9}s`;
}

const GO_DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };

function parseGoDuration(value: unknown, where: string): number {
  const text = typeof value === 'string' ? value : '';
  const body = text.replace(/^[-+]/, '');
  const parts = [...body.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (text === '' || parts.map((p) => p[0]).join('') !== body) {
    throw new TypeError(`${where}: expected a Go duration, got ${JSON.stringify(value)}`);
  }
  const ns = parts.reduce((sum, p) => sum + Number(p[1]) * (GO_DURATION_UNITS[p[2] ?? 's'] ?? 0), 0);
  return text.startsWith('-') ? -ns : ns;
}

function embeddedJson(raw: Uint8Array, what: string): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (err) {
    throw new ProtobufDecodeError('Malformed', `${what} does not hold JSON`, { cause: err });
  }
}

const time: SpecialType = {
  toJson: (msg) => formatTime(msg, 0),
  fromJson: parseTime,
};

const microTime: SpecialType = {
  toJson: (msg) => formatTime(msg, 6),
  fromJson: parseTime,
};

const extraValue: SpecialType = {
  toJson: (msg) => (Array.isArray(msg['items']) ? [...msg['items']] : []),
  fromJson: (value) => ({ items: Array.isArray(value) ? value : [] }),
};

const SPECIAL: Readonly<Record<string, SpecialType>> = {
  'meta.Time': time,
  'meta.MicroTime': microTime,
  'meta.Duration': {
    toJson: (msg) => formatGoDuration(toNumber(msg['duration'])),
    fromJson: (value, where) => ({ duration: parseGoDuration(value, where) }),
  },
  'meta.FieldsV1': {
    toJson: (msg) => embeddedJson(bytesOf(msg['Raw']), 'FieldsV1'),
    fromJson: (value) => ({ Raw: Buffer.from(JSON.stringify(value)) }),
  },
  'runtime.RawExtension': {
    toJson: (msg) => embeddedJson(bytesOf(msg['raw']), 'RawExtension'),
    fromJson: (value) => ({ raw: Buffer.from(JSON.stringify(value)) }),
  },
  'resource.Quantity': {
    toJson: (msg) => (typeof msg['string'] === 'string' && msg['string'] !== '' ? msg['string'] : undefined),
    fromJson: (value) => ({ string: typeof value === 'number' ? String(value) : value }),
  },
  'intstr.IntOrString': {
    toJson: (msg) => {
      if (toNumber(msg['type']) === 1) return typeof msg['strVal'] === 'string' ? msg['strVal'] : '';
      return toNumber(msg['intVal']);
    },
    fromJson: (value, where) => {
      if (typeof value === 'number' && Number.isInteger(value)) return { type: 0, intVal: value };
      if (typeof value === 'string') return { type: 1, strVal: value };
      throw new TypeError(`${where}: expected an integer or a string, got ${JSON.stringify(value)}`);
    },
  },
  'authentication.ExtraValue': extraValue,
  'authorization.ExtraValue': extraValue,
  'certificates.ExtraValue': extraValue,
};

/** The special handling for a message type's full name (without the leading dot), if any. */
export function specialType(fullName: string): SpecialType | undefined {
  const name = fullName.startsWith('.') ? fullName.slice(1) : fullName;
  return Object.hasOwn(SPECIAL, name) ? SPECIAL[name] : undefined;
}

/** Zero values of special types, omitted from Go value (non-pointer) fields. */
export function isZeroSpecial(json: unknown): boolean {
  return json === undefined || json === 0 || json === '';
}
