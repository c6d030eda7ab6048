// Child process for the kill -9 durability test: writes forever and prints
// each key once its create has been acknowledged.
import { openSqliteStorage } from '../sqlite.js';

const store = openSqliteStorage(process.argv[2]!);
for (let i = 0; ; i++) {
  const key = `/durable/k${i}`;
  await store.create(key, Buffer.from(JSON.stringify({ key })));
  process.stdout.write(`${key}\n`);
}
