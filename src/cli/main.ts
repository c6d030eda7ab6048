// `kubets` command line: one program, one subcommand per component.
import { parseArgs } from 'node:util';

export interface Command {
  summary: string;
  run(args: string[]): Promise<number | void>;
}

// Loaded lazily, so `kubets agent` does not pay for the API server's modules.
const commands: Record<string, () => Promise<Command>> = {
  server: async () => (await import('./server.js')).serverCommand('server'),
  apiserver: async () => (await import('./server.js')).serverCommand('apiserver'),
  'controller-manager': async () => (await import('./controller-manager.js')).controllerManagerCommand(),
  scheduler: async () => (await import('./scheduler.js')).schedulerCommand(),
  sim: async () => (await import('./sim.js')).simCommand(),
  agent: async () => (await import('./agent.js')).agentCommand(),
  proxy: async () => (await import('./proxy.js')).proxyCommand(),
  cluster: async () => (await import('./cluster.js')).clusterCommand(),
  dns: async () => (await import('./dns.js')).dnsCommand(),
  ingress: async () => (await import('./ingress.js')).ingressCommand(),
};

function usage(): string {
  const names = Object.keys(commands).sort();
  return [
    'Usage: kubets <command> [flags]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n}`),
    '',
    'Run `kubets <command> --help` for the flags of one command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv.slice(0, 1), allowPositionals: true, strict: false });
  const name = positionals[0];
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return;
  }
  const load = commands[name];
  if (!load) {
    console.error(`kubets: unknown command "${name}"\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  const command = await load();
  const code = await command.run(argv.slice(1));
  if (typeof code === 'number') process.exitCode = code;
  // A command that failed is done, even if a handle it opened (a listener, a
  // store client) would keep the event loop, and so the process, alive.
  if (code) process.exit(code);
}
