// What the add-on and component commands share on their command lines: the
// common flags, --help, required flags with the usage on error, and the logger.
import { createLogger, type Level, type Logger } from '../util/log.js';

export const COMMON_FLAGS = {
  kubeconfig: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Prints the usage; the exit code of `--help`. */
export function showHelp(help: string): 0 {
  console.log(help);
  return 0;
}

/** True when every flag is set; otherwise prints which are required, with the usage. */
export function requireFlags<V extends object, K extends keyof V & string>(command: string, help: string, values: V, flags: K[]): values is V & { [P in K]-?: NonNullable<V[P]> } {
  if (flags.every((f) => values[f])) return true;
  console.error(`kubets ${command}: ${flags.map((f) => `--${f}`).join(' and ')} ${flags.length > 1 ? 'are' : 'is'} required\n\n${help}`);
  return false;
}

/** The logger at --log-level (default $KUBETS_LOG_LEVEL, else info). */
export function commandLogger(values: { 'log-level'?: string }, base?: Record<string, unknown>): Logger {
  return createLogger(values['log-level'] as Level | undefined, base);
}
