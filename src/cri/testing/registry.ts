// A private OCI registry for pull tests: Debian's docker-registry on
// 127.0.0.1 with a port the kernel picks and its own storage dir, optionally
// behind htpasswd (bcrypt) basic auth, with the built busybox pushed to it by
// skopeo. Pass a node's run() to start it inside that node's network
// namespace, where its containerd can reach 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runCommand } from '../../agent/run-command.js';
import { IMAGE_ARCHIVES } from '../../agent/images/names.js';
import { ensureBuiltImages } from './images.js';
import { scaled } from '../../testing/time-scale.js';

export interface TestRegistryOptions {
  /** Require basic auth with these credentials. */
  auth?: { username: string; password: string };
  /** Network namespace path to run in (e.g. a test node's netnsPath). */
  netnsPath?: string;
  /** Push build/images/busybox.tar as <host>/kubets/busybox:1.35 (default true). */
  pushBusybox?: boolean;
}

export interface TestRegistry {
  /** host:port, e.g. "127.0.0.1:40123". */
  host: string;
  url: string;
  /** The pushed busybox's reference, e.g. "127.0.0.1:40123/kubets/busybox:1.35". */
  busyboxRef: string;
  auth?: { username: string; password: string };
  dir: string;
  stop(): Promise<void>;
}

function inNetns(netnsPath: string | undefined, cmd: string, args: string[]): [string, string[]] {
  return netnsPath ? ['nsenter', [`--net=${netnsPath}`, cmd, ...args]] : [cmd, args];
}

function waitForListen(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`docker-registry did not listen within ${timeoutMs} ms: ${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+?):(\d+)"?/.exec(out);
      if (m) done(`127.0.0.1:${m[2]}`);
    };
    const onExit = (code: number | null) => fail(new Error(`docker-registry exited ${code}: ${out}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    const done = (v: string) => {
      cleanup();
      resolve(v);
    };
    const fail = (e: Error) => {
      cleanup();
      reject(e);
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.on('exit', onExit);
  });
}

export async function startTestRegistry(opts: TestRegistryOptions = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'kt-registry-'));
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    let authYaml = '';
    if (opts.auth) {
      const htpasswd = await runCommand('htpasswd', ['-Bbn', opts.auth.username, opts.auth.password]);
      writeFileSync(join(dir, 'htpasswd'), htpasswd.stdout);
      authYaml = `auth:\n  htpasswd:\n    realm: kubets-test\n    path: ${join(dir, 'htpasswd')}\n`;
    }
    const config = join(dir, 'config.yml');
    writeFileSync(
      config,
      `version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:0\n  secret: ${randomBytes(16).toString('hex')}\n${authYaml}`,
    );
    const [cmd, args] = inNetns(opts.netnsPath, 'docker-registry', ['serve', config]);
    child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const host = await waitForListen(child, scaled(15_000));
    // Keep draining its output so it never blocks on a full pipe.
    child.stdout?.resume();
    child.stderr?.resume();
    const busyboxRef = `${host}/kubets/busybox:1.35`;
    if (opts.pushBusybox !== false) {
      const images = await ensureBuiltImages();
      const creds = opts.auth ? ['--dest-creds', `${opts.auth.username}:${opts.auth.password}`] : [];
      const [c, a] = inNetns(opts.netnsPath, 'skopeo', ['copy', '--quiet', '--dest-tls-verify=false', ...creds, `oci-archive:${join(images, IMAGE_ARCHIVES.busybox)}`, `docker://${busyboxRef}`]);
      await runCommand(c, a, { timeoutMs: 120_000 });
    }
    return { host, url: `http://${host}`, busyboxRef, ...(opts.auth ? { auth: opts.auth } : {}), dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
