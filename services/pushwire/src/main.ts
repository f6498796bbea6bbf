// The `pushwire` command.
import { ConfigError, errorMessage } from '@pushwire/core';
import { parseCli, USAGE, UsageError } from './cli-args.js';
import { configCheck } from './commands/config-check.js';
import { runServices } from './commands/run-services.js';
import { tokensCommand } from './commands/tokens.js';
import { callsCommand } from './commands/calls.js';
import { keysCommand } from './commands/keys.js';
import { pushCommand } from './commands/push.js';
import { pushV2Command } from './commands/push-v2.js';
import { AlreadyRunningError } from './sandbox-lock.js';

async function main(argv: string[]): Promise<number | null> {
  // The tokens commands have their own options (Sylk's sylk-pushserver-db equivalent).
  if (argv[0] === 'tokens') return tokensCommand(argv.slice(1), process.env);
  if (argv[0] === 'calls') return callsCommand(argv.slice(1), process.env);
  if (argv[0] === 'keys') return keysCommand(argv.slice(1));
  // Sylk's client scripts, with their own (argparse) options: sylk-pushclient and sylk-pushclient-v2.
  // A caller key comes from the environment, never the command line (it would show in `ps`).
  const apiKey = process.env.PUSHWIRE_API_KEY || undefined;
  if (argv[0] === 'push') return pushCommand(argv.slice(1), undefined, undefined, apiKey);
  if (argv[0] === 'push-v2') return pushV2Command(argv.slice(1), undefined, undefined, apiKey);
  const args = parseCli(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, sub] = args.command;
  switch (command) {
    case 'start':
      await runServices(args, ['ingest', 'worker']);
      return null;
    case 'ingest':
    case 'worker':
      await runServices(args, [command]);
      return null;
    case 'config':
      if (sub === 'check') return configCheck(args);
      throw new UsageError(`unknown config subcommand: ${sub ?? '(none)'}`);
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

/** What a failure stopped: `config check` checks, the other commands start (or run). */
function failedAction(argv: readonly string[]): string {
  const at = argv.indexOf('config');
  if (at >= 0 && argv[at + 1] === 'check') return 'check';
  return ['tokens', 'calls', 'keys'].includes(argv[0] ?? '') ? `run ${argv[0]}` : 'start';
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    if (code !== null) process.exit(code);
  },
  (error: unknown) => {
    const action = failedAction(argv);
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    // Already a whole sentence: "Pushwire is already listening on 8400 …".
    else if (error instanceof AlreadyRunningError) process.stderr.write(`${error.message}\n`);
    else if (error instanceof ConfigError) process.stderr.write(`Can not ${action}: ${error.message}\n`);
    else process.stderr.write(`Can not ${action}: ${errorMessage(error)}\n`);
    process.exit(1);
  },
);
