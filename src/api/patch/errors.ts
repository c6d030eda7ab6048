// Patch failures, typed with the HTTP status the API server answers with, the
// way upstream's patch handler classifies them.

export type PatchErrorStatus = 400 | 415 | 422 | 500;

export class PatchError extends Error {
  override readonly name = 'PatchError';
  constructor(
    /** 400: malformed patch; 415: patch type not usable for this kind; 422: well-formed but cannot apply; 500: upstream's catch-all. */
    readonly status: PatchErrorStatus,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The Status `reason` to report. */
  get reason(): 'BadRequest' | 'UnsupportedMediaType' | 'Invalid' | 'InternalError' {
    switch (this.status) {
      case 400:
        return 'BadRequest';
      case 415:
        return 'UnsupportedMediaType';
      case 422:
        return 'Invalid';
      default:
        return 'InternalError';
    }
  }
}

export const isPatchError = (e: unknown): e is PatchError => e instanceof PatchError;

/** Renders a JSON value as Go's %v does, for upstream-shaped messages. */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goFormat(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}
