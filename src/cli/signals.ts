// Runs until SIGTERM or SIGINT, then stops the component; a stop that hangs
// past the deadline ends the process, so a stuck part never keeps it alive.
import type { Logger } from '../util/log.js';

export function runUntilSignal(stop: () => Promise<void>, logger: Logger, deadlineMs = 20_000): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      logger.info('shutting down', { signal });
      setTimeout(() => {
        logger.error(`shutdown did not finish in ${deadlineMs / 1000} s; exiting`);
        process.exit(1);
      }, deadlineMs).unref();
      void stop().then(resolve);
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  });
}
