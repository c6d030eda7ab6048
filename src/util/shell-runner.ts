// Runs short host commands (mount, umount) through one long-lived /bin/sh.
// Spawning from the agent itself forks its whole address space, and Node's
// spawn blocks the event loop until the child has exec'd: 5-8 ms per mount on
// a busy node, in the middle of other pods' starts. The small shell forks
// instead, and the agent only writes a line to a pipe.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface ShellResult {
  code: number;
  /** stdout and stderr together, without the trailing newline. */
  output: string;
}

/** POSIX sh single-quoting: nothing inside is special. */
export function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

interface Pending {
  resolve: (r: ShellResult) => void;
  reject: (err: Error) => void;
}

/** The pipes of a child are sockets, which can be ref'd and unref'd. */
const refable = (stream: unknown) => stream as { ref(): void; unref(): void };

export class ShellRunner {
  private sh: ChildProcess | undefined;
  private buffer = '';
  /** Commands written to the shell, answered in order. */
  private readonly pending: Pending[] = [];
  private readonly marker = `__kubets_done_${randomBytes(8).toString('hex')}`;

  /** Runs argv (no shell expansion of its words); resolves with its exit code and output. */
  run(argv: string[]): Promise<ShellResult> {
    const sh = this.shell();
    return new Promise<ShellResult>((resolve, reject) => {
      // Waiting for an answer keeps the process alive; an idle helper does not.
      if (this.pending.push({ resolve, reject }) === 1) refable(sh.stdout).ref();
      // The printf puts the marker on a line of its own even after output with no newline.
      sh.stdin!.write(`${argv.map(shellQuote).join(' ')} </dev/null 2>&1; printf '\\n%s %d\\n' ${this.marker} $?\n`);
    });
  }

  close(): void {
    this.sh?.stdin?.end();
    this.sh = undefined;
  }

  private shell(): ChildProcess {
    if (this.sh) return this.sh;
    const sh = spawn('/bin/sh', ['-s'], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.sh = sh;
    this.buffer = '';
    // An idle shell must not keep the process alive (its stdin closes with it, and so does the shell).
    sh.unref();
    refable(sh.stdout).unref();
    refable(sh.stdin).unref();
    sh.stdout!.setEncoding('utf8');
    sh.stdout!.on('data', (chunk: string) => this.onData(chunk));
    const gone = (why: string) => {
      if (this.sh === sh) this.sh = undefined;
      // A command's children may still hold the pipe: do not wait for them.
      sh.stdout!.destroy();
      sh.stdin!.destroy();
      for (const p of this.pending.splice(0)) p.reject(new Error(`the helper shell ${why}`));
    };
    sh.once('error', (err) => gone(`failed: ${err.message}`));
    sh.once('exit', (code, signal) => gone(`exited (${signal ?? code})`));
    sh.stdin!.on('error', () => undefined); // an exit reports it
    return sh;
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const at = this.buffer.indexOf(`\n${this.marker} `);
      if (at < 0) return;
      const end = this.buffer.indexOf('\n', at + 1);
      if (end < 0) return;
      const code = Number(this.buffer.slice(at + this.marker.length + 2, end));
      const output = this.buffer.slice(0, at).replace(/\n$/, '');
      this.buffer = this.buffer.slice(end + 1);
      this.pending.shift()?.resolve({ code, output });
      if (!this.pending.length && this.sh) refable(this.sh.stdout).unref();
    }
  }
}
