// The result every plugin returns; plugins never throw.
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';

export class Status {
  /** The plugin that produced a non-success status (set by the framework). */
  plugin: string | undefined;

  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
    /** The underlying failure, for `Error`. */
    readonly cause?: unknown,
  ) {}

  static readonly SUCCESS = new Status('Success');
  static readonly SKIP = new Status('Skip');

  static unschedulable(...reasons: string[]): Status {
    return new Status('Unschedulable', reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status('UnschedulableAndUnresolvable', reasons);
  }

  static error(err: unknown): Status {
    return new Status('Error', [err instanceof Error ? err.message : String(err)], err);
  }

  isSuccess(): boolean {
    return this.code === 'Success';
  }

  /** Unschedulable or UnschedulableAndUnresolvable: the pod does not fit, not a failure. */
  isRejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable';
  }

  isSkip(): boolean {
    return this.code === 'Skip';
  }

  message(): string {
    return this.reasons.join(', ');
  }

  withPlugin(name: string): Status {
    if (this.code === 'Success' || this.code === 'Skip') return this;
    const s = new Status(this.code, this.reasons, this.cause);
    s.plugin = name;
    return s;
  }
}

/** Per-node filter outcome, keyed by node name. */
export type NodeToStatus = Map<string, Status>;
