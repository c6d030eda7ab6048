// HTTP GET from inside a network namespace (pod IPs are reachable only
// there), by running this same Node binary under nsenter --net. The host's
// busybox wget crashes under nsenter here, and curl is not a dependency.
import { runCommand } from '../../agent/run-command.js';
import { scaled } from '../../testing/time-scale.js';

export interface NetnsHttpResponse {
  status: number;
  body: string;
}

// fetch's implementation loads on first use, which takes seconds on a starved
// host: a data: URL loads it before the timed request starts.
const SCRIPT = `
const [url, timeout] = process.argv.slice(1);
fetch('data:,')
  .then(() => fetch(url, { signal: AbortSignal.timeout(Number(timeout)) }))
  .then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })))
  .catch((e) => { process.stderr.write(String(e && e.cause ? e.cause : e)); process.exit(2); });
`;

/** Rejects (CommandError) when the connection fails or times out. */
export async function httpGetInNetns(netnsPath: string, url: string, timeoutMs = scaled(3_000)): Promise<NetnsHttpResponse> {
  const r = await runCommand('nsenter', [`--net=${netnsPath}`, process.execPath, '-e', SCRIPT, url, String(timeoutMs)], { timeoutMs: timeoutMs + scaled(10_000) });
  return JSON.parse(r.stdout) as NetnsHttpResponse;
}
