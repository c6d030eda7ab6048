// The proxy's only way into the kernel: iptables-restore / iptables-save and
// single iptables commands, through an injectable runner (nsenter in tests).
import { runCommand } from '../agent/run-command.js';
import type { CommandRunner } from '../network/node-routes.js';
import { isOwnedChain } from './rules.js';

export type Table = 'nat' | 'filter';

export class IptablesError extends Error {
  override name = 'IptablesError';
}

export class Iptables {
  constructor(private readonly run: CommandRunner = runCommand) {}

  /** Applies restore input without touching chains it does not mention. */
  async restore(text: string): Promise<void> {
    const r = await this.run('iptables-restore', ['-w', '--noflush'], { input: text, allowFailure: true });
    if (r.code !== 0) throw new IptablesError(`iptables-restore failed (${r.code}): ${r.stderr.trim()}`);
  }

  async save(table: Table): Promise<string> {
    const r = await this.run('iptables-save', ['-t', table], { allowFailure: true });
    if (r.code !== 0) throw new IptablesError(`iptables-save -t ${table} failed: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** The proxy-owned chains that exist now in a table. */
  async ownedChains(table: Table): Promise<string[]> {
    const out = await this.save(table);
    return out
      .split('\n')
      .filter((l) => l.startsWith(':'))
      .map((l) => l.slice(1).split(' ')[0]!)
      .filter(isOwnedChain);
  }

  /** Inserts the rule at the top of a built-in chain unless it is already there. */
  async ensureRule(table: Table, chain: string, args: readonly string[]): Promise<boolean> {
    const check = await this.run('iptables', ['-w', '-t', table, '-C', chain, ...args], { allowFailure: true });
    if (check.code === 0) return false;
    const r = await this.run('iptables', ['-w', '-t', table, '-I', chain, ...args], { allowFailure: true });
    if (r.code !== 0) throw new IptablesError(`iptables -t ${table} -I ${chain} failed: ${r.stderr.trim()}`);
    return true;
  }

  /** Deletes every copy of a rule; quiet when absent. */
  async deleteRule(table: Table, chain: string, args: readonly string[]): Promise<void> {
    for (let i = 0; i < 16; i++) {
      const r = await this.run('iptables', ['-w', '-t', table, '-D', chain, ...args], { allowFailure: true });
      if (r.code !== 0) return;
    }
  }
}
