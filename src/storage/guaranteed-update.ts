import { isStorageError } from './errors.js';
import type { GuaranteedUpdateOptions, KeyValue, Storage, TryUpdate } from './interface.js';
import { checkPreconditions } from './preconditions.js';

/**
 * Read-modify-write with optimistic concurrency, shared by every backend:
 * re-read and retry whenever another writer got there first.
 */
export async function guaranteedUpdate(
  store: Pick<Storage, 'get' | 'create' | 'update'>,
  key: string,
  tryUpdate: TryUpdate,
  options: GuaranteedUpdateOptions = {},
): Promise<KeyValue> {
  for (;;) {
    let current: KeyValue | null;
    try {
      current = await store.get(key);
    } catch (err) {
      if (!options.ignoreNotFound || !isStorageError(err, 'NotFound')) throw err;
      current = null;
    }
    if (current) checkPreconditions(key, current, options.preconditions);
    const next = await tryUpdate(current);
    try {
      return current ? await store.update(key, next, current.modRevision) : await store.create(key, next);
    } catch (err) {
      if (isStorageError(err, 'Conflict') || isStorageError(err, 'AlreadyExists')) continue;
      // Deleted between our read and write: retry, which reports NotFound or recreates.
      if (current && isStorageError(err, 'NotFound')) continue;
      throw err;
    }
  }
}
