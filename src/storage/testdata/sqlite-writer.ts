// Child process for the kill -9 durability test: writes forever and prints
// each key once its create has been acknowledged.
import { openSqliteStorage } from '../sqlite.js';

// An optional second argument: the WAL bytes that trigger a checkpoint (small values checkpoint while writing).
const threshold = process.argv[3] ? Number(process.argv[3]) : undefined;
const store = openSqliteStorage(process.argv[2]!, threshold ? { checkpoints: { thresholdBytes: threshold } } : {});
let reported = 0;
for (let i = 0; ; i++) {
  const key = `/durable/k${i}`;
  await store.create(key, Buffer.from(JSON.stringify({ key })));
  process.stdout.write(`${key}\n`);
  // Tell the test each checkpoint the thread finished, so it can kill us while they run.
  const done = store.log.checkpointsCompleted();
  if (done > reported) process.stdout.write(`#checkpoint ${(reported = done)}\n`);
}
