// Deadlines in tests catch hangs; they are not performance checks (those live
// under bench/). A host whose hypervisor is overloaded runs everything several
// times slower, so scripts/test.sh measures the host once and exports
// TEST_TIME_SCALE; every test deadline, and the short product timers tests set
// (lease and grace periods), is multiplied by it. Unset, it is 1.

const MAX_SCALE = 10;

/** TEST_TIME_SCALE as a number in [1, 10]; anything else is 1. */
export function parseTimeScale(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, MAX_SCALE) : 1;
}

export const TIME_SCALE = parseTimeScale(process.env.TEST_TIME_SCALE);

/** `ms` stretched by this host's TEST_TIME_SCALE. */
export function scaled(ms: number): number {
  return Math.round(ms * TIME_SCALE);
}

/** `seconds` stretched by TEST_TIME_SCALE, whole seconds (for product flags). */
export function scaledSeconds(seconds: number): number {
  return Math.ceil(seconds * TIME_SCALE);
}

/** kubectl's own `--timeout=Ns` and `--request-timeout=Ns`, stretched like every test deadline; what follows `--` (an exec'd command) is left alone. */
export function scaleKubectlTimeouts(args: string[], scale = TIME_SCALE): string[] {
  const end = args.indexOf('--');
  return args.map((a, i) => (end >= 0 && i > end ? a : a.replace(/^(--timeout|--request-timeout)=(\d+)s$/, (_, flag: string, n: string) => `${flag}=${Math.ceil(Number(n) * scale)}s`)));
}
