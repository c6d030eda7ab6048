// resource.Quantity: fixed-point numbers with SI / binary suffixes ("100m",
// "128Mi", "1e3"). Values are held exactly as a bigint count of nano-units,
// because upstream rounds every parsed quantity up to nano precision, so
// arithmetic and comparison never lose precision.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value times 10^9, exact. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
  /** Upstream keeps the original text when it is already canonical; so do we. */
  readonly cached?: string;
}

export type QuantityErrorReason = 'FormatWrong' | 'Numeric' | 'Suffix';

const QUANTITY_REGEX = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const errorMessages: Record<QuantityErrorReason, string> = {
  FormatWrong: `quantities must match the regular expression '${QUANTITY_REGEX}'`,
  Numeric: 'unable to parse numeric part of quantity',
  Suffix: "unable to parse quantity's suffix",
};

export class QuantityParseError extends Error {
  constructor(
    readonly reason: QuantityErrorReason,
    readonly input: string,
  ) {
    super(errorMessages[reason]);
    this.name = 'QuantityParseError';
  }
}

const NANO = 1_000_000_000n;
const INT64_MAX = (1n << 63n) - 1n;
const MAX_NANOS = INT64_MAX * NANO;
const MAX_DECIMAL_SCALE = 1000;

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalByExponent = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binaryByExponent = new Map(Object.entries(binarySuffixes).map(([s, e]) => [e, s]));

interface Lexed {
  negative: boolean;
  num: string; // integer digits, leading zeros stripped ("0" when none)
  denom: string; // fraction digits
  suffix: string;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

// Splits the text the way upstream's scanner does (it accepts "1.G" and ".5").
function lex(str: string): Lexed {
  let pos = 0;
  let negative = false;
  if (str[0] === '-' || str[0] === '+') {
    negative = str[0] === '-';
    pos++;
  }
  while (str[pos] === '0') pos++;
  if (pos >= str.length) return { negative, num: '0', denom: '', suffix: '' };
  const numStart = pos;
  while (isDigit(str[pos])) pos++;
  const num = str.slice(numStart, pos) || '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (isDigit(str[pos])) pos++;
    denom = str.slice(denomStart, pos);
  }
  const suffixStart = pos;
  while (pos < str.length && 'eEinumkKMGTP'.includes(str[pos]!)) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (isDigit(str[pos])) pos++;
  if (pos < str.length) throw new QuantityParseError('FormatWrong', str);
  return { negative, num, denom, suffix: str.slice(suffixStart) };
}

type Interpreted = { base: 10 | 2; exponent: number; format: QuantityFormat };

function interpretSuffix(suffix: string, input: string): Interpreted {
  const dec = decimalSuffixes[suffix];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = binarySuffixes[suffix];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[-+]?[0-9]+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Number.isSafeInteger(exponent)) return { base: 10, exponent, format: 'DecimalExponent' };
  }
  throw new QuantityParseError('Suffix', input);
}

const pow10 = (n: number) => 10n ** BigInt(n);

/** Divides rounding away from zero, as upstream's RoundUp mode does. */
function divAwayFromZero(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b === a ? q : a < 0n ? q - 1n : q + 1n;
}

/** Parses a quantity string exactly as upstream's ParseQuantity does. */
export function parseQuantity(input: string): Quantity {
  if (input.length === 0) throw new QuantityParseError('FormatWrong', input);
  if (input === '0') return { nanos: 0n, format: 'DecimalSI', cached: '0' };
  const { negative, num, denom, suffix } = lex(input);
  const { base, exponent, format: parsedFormat } = interpretSuffix(suffix, input);
  let format = parsedFormat;
  const digits = BigInt(num + denom); // value = digits * 10^-len(denom) * suffix
  let magnitude: bigint; // in nanos
  let exact = true;
  if (base === 10) {
    const scale = exponent - denom.length + 9;
    if (scale > MAX_DECIMAL_SCALE) {
      // Upstream holds any size; we refuse absurd exponents rather than build huge numbers.
      if (digits !== 0n) throw new QuantityParseError('Numeric', input);
      magnitude = 0n;
    } else if (scale >= 0) {
      magnitude = digits * pow10(scale);
    } else if (-scale > num.length + denom.length + 1) {
      // digits < 10^-scale: a non-zero value rounds up to one nano.
      magnitude = digits === 0n ? 0n : 1n;
      exact = digits === 0n;
    } else {
      magnitude = divAwayFromZero(digits, pow10(-scale));
      exact = magnitude * pow10(-scale) === digits;
    }
  } else {
    const scaled = digits * (1n << BigInt(exponent)) * NANO;
    magnitude = divAwayFromZero(scaled, pow10(denom.length));
    exact = magnitude * pow10(denom.length) === scaled;
    if (magnitude > MAX_NANOS) magnitude = MAX_NANOS;
    if (magnitude > 0n && magnitude < NANO) format = 'DecimalSI';
  }
  const nanos = negative ? -magnitude : magnitude;
  return { nanos, format, ...(exact && keepsText(num, denom, base, exponent) ? { cached: input } : {}) };
}

// Upstream reuses the input text when its fast path sees an already-canonical form.
function keepsText(num: string, denom: string, base: 10 | 2, exponent: number): boolean {
  const shifted = num + denom;
  if (shifted.length > 18) return false;
  if (base === 2) {
    if (denom.length > 0) return false;
    const value = BigInt(shifted);
    const precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    return precision >= 0 && value << BigInt(exponent) <= INT64_MAX && (value & 7n) !== 0n;
  }
  const scale = exponent - denom.length;
  return scale >= -9 && scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
}

/** Builds a quantity from an integer count of units. */
export function quantityFromInt(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { nanos: BigInt(value) * NANO, format };
}

/** Builds a quantity from an integer count of thousandths. */
export function quantityFromMilli(milli: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { nanos: BigInt(milli) * 1_000_000n, format };
}

export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

export const isZero = (q: Quantity) => q.nanos === 0n;
export const sign = (q: Quantity): -1 | 0 | 1 => (q.nanos < 0n ? -1 : q.nanos > 0n ? 1 : 0);

/** ceil(q * 1000), rounding away from zero as upstream's MilliValue does. */
export function milliValue(q: Quantity): bigint {
  return divAwayFromZero(q.nanos, 1_000_000n);
}

/** The value in whole units, rounded away from zero as upstream's Value does. */
export function value(q: Quantity): bigint {
  return divAwayFromZero(q.nanos, NANO);
}

/** value(q) as a JS number (callers that know the value is small). */
export const valueNumber = (q: Quantity) => Number(value(q));

/** Sum; a zero left operand takes the right operand's format, as upstream. */
export function add(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

export function sub(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos - b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

/**
 * Rounds away from zero to a multiple of 10^scale (upstream's RoundUp). The
 * original text is kept when nothing changes, as upstream keeps its cache.
 */
export function roundUp(q: Quantity, scale: number): Quantity {
  const unit = 10n ** BigInt(scale + 9);
  if (unit <= 1n || q.nanos % unit === 0n) return q;
  return { nanos: divAwayFromZero(q.nanos, unit) * unit, format: q.format };
}

/** Canonical text, as upstream's Quantity.String() renders it. */
export function formatQuantity(q: Quantity): string {
  if (q.cached !== undefined) return q.cached;
  if (q.nanos === 0n) return '0';
  const negative = q.nanos < 0n;
  const magnitude = negative ? -q.nanos : q.nanos;
  let format = q.format;
  if (format === 'BinarySI' && (magnitude < 1024n * NANO || magnitude % NANO !== 0n)) format = 'DecimalSI';
  const text = format === 'BinarySI' ? formatBinary(magnitude / NANO) : formatDecimal(magnitude, format);
  return negative ? `-${text}` : text;
}

function formatBinary(units: bigint): string {
  let exponent = 0;
  while (units % 1024n === 0n && exponent < 60) {
    units /= 1024n;
    exponent += 10;
  }
  return `${units}${binaryByExponent.get(exponent) ?? ''}`;
}

function formatDecimal(nanos: bigint, format: QuantityFormat): string {
  let mantissa = nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  // Lower the exponent to a multiple of three, growing the mantissa.
  while (((exponent % 3) + 3) % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  while (exponent > 18) {
    mantissa *= 1000n;
    exponent -= 3;
  }
  return `${mantissa}${decimalByExponent.get(exponent) ?? ''}`;
}

/** Parses then re-renders: what the API server returns for a quantity field. */
export function canonicalQuantity(input: string): string {
  return formatQuantity(parseQuantity(input));
}
