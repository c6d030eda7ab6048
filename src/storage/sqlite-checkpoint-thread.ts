// The worker thread behind SqliteCheckpointer: its own connection to the
// store, used only to copy the WAL back into the database file. A checkpoint
// fsyncs the WAL and then the database file, which would stall the API
// server's event loop for milliseconds at a time if the writer ran it.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface CheckpointThreadData {
  file: string;
  synchronous: 'NORMAL' | 'FULL';
}

/** The reply to each 'checkpoint' request: frames in the WAL and how many of them are now in the database file. */
export type CheckpointReply = { type: 'done'; walFrames: number; checkpointed: number } | { type: 'failed'; message: string };

const port = parentPort!;
const { file, synchronous } = workerData as CheckpointThreadData;
const db = new Database(file, { timeout: 0, fileMustExist: true });
// A connection's synchronous setting decides how its checkpoints sync: it must match the writer's.
db.pragma(`synchronous = ${synchronous}`);
db.pragma('wal_autocheckpoint = 0');
// A checkpoint copies WAL frames straight into the database file: no page cache worth its memory.
db.pragma('cache_size = -256');

port.on('message', (msg: 'checkpoint' | 'close') => {
  if (msg === 'close') {
    db.close();
    process.exit(0); // ends this thread only
    return;
  }
  let reply: CheckpointReply;
  try {
    // PASSIVE: never waits for or blocks the writer; it copies what the WAL holds now.
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    reply = { type: 'done', walFrames: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 };
  } catch (err) {
    reply = { type: 'failed', message: (err as Error).message };
  }
  port.postMessage(reply);
});
