// The cluster state store, shaped like Kubernetes' storage.Interface.
//
// Keys are strings such as `/pods/default/web-0`; a backend may add its own
// prefix (etcd's default is `/registry`). Values are opaque bytes (the API
// server stores JSON); only `Preconditions.uid` looks inside them, at
// `metadata.uid`. Every write bumps one global revision, and that revision is
// the object's resourceVersion.

export interface KeyValue {
  key: string;
  value: Buffer;
  /** Revision of the write that produced this value (or deleted it, in a DELETED event). */
  modRevision: number;
  /** Revision at which the key was created. */
  createRevision: number;
}

export interface ListOptions {
  /** Maximum number of items; 0 or unset means all. */
  limit?: number;
  /** Token from a previous page; pins the list to that page's revision. */
  continue?: string;
  /**
   * Kubernetes resourceVersion semantics: unset or "" = latest and consistent,
   * "0" = any revision is fine, "N" = a snapshot at exactly revision N.
   */
  resourceVersion?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** Set when more items remain. */
  continue?: string;
  remainingItemCount?: number;
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'PROGRESS';

export interface WatchEvent {
  type: WatchEventType;
  /**
   * For DELETED: the last value, with modRevision set to the deletion's revision.
   * For PROGRESS (only after requestProgress): key is '' and modRevision is a
   * revision up to which every event has been delivered.
   */
  kv: KeyValue;
}

export interface WatchOptions {
  /** Deliver events with a revision strictly greater than this; unset = from now. */
  revision?: number;
  /** Watch every key under the given prefix instead of the one key. */
  recursive?: boolean;
}

/** A stream of events; iteration ends after stop(), or throws (e.g. Expired). */
export interface Watcher extends AsyncIterable<WatchEvent> {
  stop(): void;
  /**
   * Asks for a PROGRESS event once every event up to the store's current
   * revision has been delivered (etcd's progress notify). Optional: a cache
   * without it must read through to the store for consistent lists.
   */
  requestProgress?(): void;
}

/** Returns the new value, or throws to abort. `current` is null when the key is missing. */
export type TryUpdate = (current: KeyValue | null) => Buffer | Promise<Buffer>;

export interface GuaranteedUpdateOptions {
  /** Call tryUpdate with null (and create) when the key does not exist. */
  ignoreNotFound?: boolean;
  preconditions?: Preconditions;
}

export interface Storage {
  readonly backend: string;
  get(key: string): Promise<KeyValue>;
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  count(prefix: string): Promise<number>;
  create(key: string, value: Buffer): Promise<KeyValue>;
  /** Compare-and-swap: fails with Conflict unless the key is at `expectedRevision`. */
  update(key: string, value: Buffer, expectedRevision: number): Promise<KeyValue>;
  /** Reads, applies tryUpdate and writes, retrying on conflicts. */
  guaranteedUpdate(key: string, tryUpdate: TryUpdate, options?: GuaranteedUpdateOptions): Promise<KeyValue>;
  /** Returns the deleted value with modRevision set to the deletion's revision. */
  delete(key: string, preconditions?: Preconditions): Promise<KeyValue>;
  /** Resolves once the watch is established; rejects with Expired for a compacted revision. */
  watch(key: string, options?: WatchOptions): Promise<Watcher>;
  currentRevision(): Promise<number>;
  /** Drops history at and below `revision`, keeping the latest value of every key. */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}
