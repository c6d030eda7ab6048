// A terminated container's message: the file at terminationMessagePath (its
// host side, found among the container's mounts), or with
// FallbackToLogsOnError and an empty file after a failure, the log's tail.
import fs from 'node:fs/promises';
import type { Container } from '../api/core-v1.js';
import type { RuntimeContainer } from './runtime-pod.js';
import { CRI_ANNOTATIONS } from './seams.js';

const MAX_BYTES = 4096;
const MAX_LOG_LINES = 80;

async function readCapped(file: string, fromEnd: boolean): Promise<string> {
  const h = await fs.open(file, 'r');
  try {
    const { size } = await h.stat();
    const len = Math.min(size, fromEnd ? MAX_BYTES * 4 : MAX_BYTES);
    const buf = Buffer.alloc(len);
    await h.read(buf, 0, len, fromEnd ? size - len : 0);
    return buf.toString('utf8');
  } finally {
    await h.close();
  }
}

/** The text of CRI log lines ("<time> <stream> <P|F> <text>"), partial lines joined. */
export function criLogText(raw: string): string {
  let out = '';
  for (const line of raw.split('\n')) {
    const m = /^\S+ (stdout|stderr) ([PF]) (.*)$/.exec(line);
    if (!m) continue;
    out += m[3] + (m[2] === 'F' ? '\n' : '');
  }
  return out;
}

export async function readTerminationMessage(c: RuntimeContainer, spec: Container): Promise<string> {
  const path = spec.terminationMessagePath ?? '/dev/termination-log';
  const hostPath = c.annotations[CRI_ANNOTATIONS.terminationLogHostPath] || c.mounts.find((m) => m.containerPath === path)?.hostPath;
  let msg = '';
  if (hostPath) msg = await readCapped(hostPath, false).catch(() => '');
  if (!msg && spec.terminationMessagePolicy === 'FallbackToLogsOnError' && c.exitCode !== 0 && c.logPath) {
    const text = criLogText(await readCapped(c.logPath, true).catch(() => ''));
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    msg = lines.slice(-MAX_LOG_LINES).join('\n');
    if (Buffer.byteLength(msg) > MAX_BYTES) msg = Buffer.from(msg).subarray(-MAX_BYTES).toString('utf8');
  }
  return msg;
}
