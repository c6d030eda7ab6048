// Runs until SIGTERM or SIGINT, then stops the component; a stop that hangs
// past the deadline ends the process, so a stuck part never keeps it alive.
//
// A long-running command calls holdStopSignals() first thing. A signal that
// arrives while it is still starting is then held, not fatal: runUntilSignal
// stops the component as soon as it is reached. Without that, a SIGTERM sent
// just after the component became visible (its port open, its Service
// registered) but before runUntilSignal killed it outright, with no clean-up.
import type { Logger } from '../util/log.js';

let installed = false;
let held: NodeJS.Signals | undefined;
let deliver: ((signal: NodeJS.Signals) => void) | undefined;

/**
 * Catches SIGTERM and SIGINT from now on for runUntilSignal. A start-up that
 * never gets there still ends: the process exits 1 `startDeadlineMs` after a
 * held signal.
 */
export function holdStopSignals(startDeadlineMs = 60_000): void {
  if (installed) return;
  installed = true;
  const on = (signal: NodeJS.Signals) => {
    if (deliver) return deliver(signal);
    if (held) return;
    held = signal;
    setTimeout(() => process.exit(1), startDeadlineMs).unref();
  };
  process.once('SIGTERM', () => on('SIGTERM'));
  process.once('SIGINT', () => on('SIGINT'));
}

export function runUntilSignal(stop: () => Promise<void>, logger: Logger, deadlineMs = 20_000): Promise<void> {
  holdStopSignals();
  return new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down', { signal });
      setTimeout(() => {
        logger.error(`shutdown did not finish in ${deadlineMs / 1000} s; exiting`);
        process.exit(1);
      }, deadlineMs).unref();
      void stop().then(resolve);
    };
    if (held) onSignal(held);
    else deliver = onSignal;
  });
}
