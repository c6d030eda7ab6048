// Typed errors of the node simulator.

/** A stage config, duration or CIDR the simulator cannot use. */
export class SimConfigError extends Error {
  override name = 'SimConfigError';
}
