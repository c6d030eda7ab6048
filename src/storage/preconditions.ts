import { conflict } from './errors.js';
import type { KeyValue, Preconditions } from './interface.js';

function uidOf(value: Buffer): string | undefined {
  try {
    const obj = JSON.parse(value.toString()) as { metadata?: { uid?: unknown } };
    return typeof obj.metadata?.uid === 'string' ? obj.metadata.uid : undefined;
  } catch {
    return undefined;
  }
}

/** Throws Conflict when `current` does not satisfy the preconditions, as upstream does. */
export function checkPreconditions(key: string, current: KeyValue, pre: Preconditions | undefined): void {
  if (!pre) return;
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== current.modRevision) {
    throw conflict(key, `precondition failed: resourceVersion is ${current.modRevision}, expected ${pre.resourceVersion}`);
  }
  if (pre.uid !== undefined) {
    const uid = uidOf(current.value);
    if (uid !== pre.uid) throw conflict(key, `precondition failed: uid is ${uid ?? '<none>'}, expected ${pre.uid}`);
  }
}
