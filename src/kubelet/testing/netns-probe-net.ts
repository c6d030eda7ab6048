// A ProbeNet that dials from inside a test node's network namespace (pod IPs
// exist only there), by running node under nsenter --net.
import { runCommand } from '../../agent/run-command.js';
import { httpGetInNetns } from '../../cri/testing/netns-http.js';
import type { ProbeNet } from '../prober/handlers.js';

const TCP_SCRIPT = `
const [host, port, timeout] = process.argv.slice(1);
const s = require('node:net').connect({ host, port: Number(port) });
s.setTimeout(Number(timeout), () => { process.stderr.write('timeout'); process.exit(2); });
s.on('connect', () => { s.destroy(); process.exit(0); });
s.on('error', (e) => { process.stderr.write(e.message); process.exit(1); });
`;

export function netnsProbeNet(netnsPath: string): ProbeNet {
  return {
    httpGet: async (req) => (await httpGetInNetns(netnsPath, req.url, req.timeoutMs)).status,
    tcpConnect: async (host, port, timeoutMs) => {
      await runCommand('nsenter', [`--net=${netnsPath}`, process.execPath, '-e', TCP_SCRIPT, host, String(port), String(timeoutMs)], { timeoutMs: timeoutMs + 10_000 });
    },
  };
}
