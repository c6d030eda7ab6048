// Opens the configured store and starts its compactor.
import path from 'node:path';
import { Compactor, type CompactionPolicy } from './compactor.js';
import type { Storage } from './interface.js';
import { openMemoryStorage } from './memory.js';
import { openSqliteStorage, type SqliteSync } from './sqlite.js';

export type Datastore = 'sqlite' | 'etcd' | 'memory';

export interface StoreConfig {
  datastore: Datastore;
  /** The data dir; SQLite lives in DIR/db/. */
  dataDir?: string;
  etcdEndpoints?: string[];
  etcdPrefix?: string;
  sqliteSync?: SqliteSync;
  compaction?: Partial<CompactionPolicy>;
  onCompactionError?: (err: unknown) => void;
  /** Told of each failed try while opening waits for etcd to answer. */
  onWaiting?: (err: Error) => void;
}

export interface OpenedStore {
  store: Storage;
  compactor: Compactor;
  close(): Promise<void>;
}

async function openBackend(cfg: StoreConfig): Promise<Storage> {
  switch (cfg.datastore) {
    case 'memory':
      return openMemoryStorage();
    case 'sqlite':
      if (!cfg.dataDir) throw new Error('the sqlite datastore needs a data dir');
      return openSqliteStorage(path.join(cfg.dataDir, 'db'), { sync: cfg.sqliteSync ?? 'normal' });
    case 'etcd': {
      if (!cfg.etcdEndpoints?.length) throw new Error('the etcd datastore needs --etcd-endpoints');
      const { openEtcdStorage } = await import('./etcd.js');
      return openEtcdStorage({ endpoints: cfg.etcdEndpoints, prefix: cfg.etcdPrefix ?? '/registry', onWaiting: cfg.onWaiting });
    }
  }
}

export async function openStore(cfg: StoreConfig): Promise<OpenedStore> {
  const store = await openBackend(cfg);
  const compactor = new Compactor(store, cfg.compaction, undefined, cfg.onCompactionError);
  compactor.start();
  return {
    store,
    compactor,
    async close() {
      await compactor.stop();
      await store.close();
    },
  };
}

export * from './errors.js';
export type * from './interface.js';
