// Canonical text of resource quantities (what Quantity.String() prints), for
// the common forms: plain or decimal-suffixed numbers and binary suffixes.
// Anything else (exponents, fractional binary values) is printed as given.

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const BINARY_NAMES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_BY_EXP = new Map(Object.entries(DECIMAL).map(([s, e]) => [e, s] as const));

function pow(base: bigint, exp: number): bigint {
  let r = 1n;
  for (let i = 0; i < exp; i++) r *= base;
  return r;
}

/** Decimal text of value / 10^9 with the largest SI suffix that keeps it integral. */
function decimalText(nanos: bigint): string {
  if (nanos === 0n) return '0';
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  for (let exp = 18; exp >= -9; exp -= 3) {
    const unit = pow(10n, exp + 9);
    if (abs % unit === 0n) return `${sign}${abs / unit}${DECIMAL_BY_EXP.get(exp) ?? ''}`;
  }
  return `${sign}${abs}n`;
}

export function canonicalQuantity(q: unknown): string {
  if (typeof q === 'number') return canonicalQuantity(String(q));
  if (typeof q !== 'string') return '0';
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?)$/.exec(q);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return q;
  const [, sign, whole, frac = '', suffix] = m;
  if (frac.length > 9) return q;
  const nanosUnsuffixed = BigInt(whole || '0') * 1_000_000_000n + BigInt(frac.padEnd(9, '0') || '0');
  const neg = sign === '-';
  if (suffix in BINARY) {
    const scaled = nanosUnsuffixed * pow(1024n, BINARY[suffix]);
    // Binary form only for whole byte counts of at least 1024; else decimal.
    if (scaled % 1_000_000_000n !== 0n) return decimalText(neg ? -scaled : scaled);
    let bytes = scaled / 1_000_000_000n;
    if (bytes < 1024n) return decimalText(neg ? -scaled : scaled);
    let exp = 0;
    while (exp < 6 && bytes % 1024n === 0n) {
      bytes /= 1024n;
      exp++;
    }
    return `${neg && bytes !== 0n ? '-' : ''}${bytes}${BINARY_NAMES[exp]}`;
  }
  const exp = DECIMAL[suffix];
  let nanos = nanosUnsuffixed;
  if (exp >= 0) nanos *= pow(10n, exp);
  else {
    const div = pow(10n, -exp);
    if (nanos % div !== 0n) return q; // finer than nano: keep as written
    nanos /= div;
  }
  return decimalText(neg ? -nanos : nanos);
}
