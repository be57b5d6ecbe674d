/**
 * `run(argv, io)`: finds the command, answers `--help` and `--version`, parses the flags, runs the command, and turns
 * every way it can end into an exit code: 0 success, 1 failure, 2 bad usage.
 *
 * @module
 */
import { isEventRelayError, VERSION } from '../index.js';
import { parseCommandArgs } from './args.js';
import { CliFailure, UsageError } from './cli-errors.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands.js';
import { commandHelp, EXIT, groupHelp, mainHelp } from './help.js';
import type { CliIo } from './io.js';

const HELP = new Set(['--help', '-h']);

/**
 * Runs `event-relay` with `argv` (without the node and script paths) and resolves with the exit code. Never rejects.
 *
 * @example `process.exitCode = await run(process.argv.slice(2), processIo())`
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(mainHelp(COMMANDS, VERSION, io.stderr.color));
    return EXIT.usage;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (HELP.has(first) || (first === 'help' && rest.length === 0)) {
    io.stdout.write(mainHelp(COMMANDS, VERSION, io.stdout.color));
    return EXIT.ok;
  }
  if (first === 'help') return run([...rest, '--help'], io);

  const group = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
  let command: Command | undefined;
  let args: readonly string[];
  if (group.length > 0) {
    const [sub, ...subArgs] = rest;
    if (sub === undefined || HELP.has(sub)) {
      const out = sub === undefined ? io.stderr : io.stdout;
      out.write(groupHelp(first, group, out.color));
      return sub === undefined ? EXIT.usage : EXIT.ok;
    }
    command = group.find((c) => c.name === `${first} ${sub}`);
    if (command === undefined) return usage(io, first, `unknown command "${first} ${sub}"`, `${first} --help`);
    args = subArgs;
  } else {
    command = COMMANDS.find((c) => c.name === first);
    if (command === undefined) return usage(io, undefined, unknownCommand(first), '--help');
    args = rest;
  }
  const end = args.indexOf('--');
  if ((end === -1 ? args : args.slice(0, end)).some((a) => HELP.has(a))) {
    io.stdout.write(commandHelp(command, io.stdout.color));
    return EXIT.ok;
  }
  return runCommand(command, args, io);
}

async function runCommand(command: Command, args: readonly string[], io: CliIo): Promise<number> {
  try {
    return await command.run(parseCommandArgs(command, args, io.env), io);
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.command, error.message, `${error.command} --help`);
    // A ConfigError comes from a flag or variable the library refused (a secret that is not base64, say).
    if (isEventRelayError(error, 'ConfigError'))
      return usage(io, command.name, error.message, `${command.name} --help`);
    const message = error instanceof CliFailure || error instanceof Error ? error.message : String(error);
    io.stderr.write(`${io.stderr.color.red(`event-relay ${command.name}:`)} ${message}\n`);
    return EXIT.failure;
  }
}

function usage(io: CliIo, command: string | undefined, message: string, help: string): number {
  const prefix = command === undefined ? 'event-relay:' : `event-relay ${command}:`;
  io.stderr.write(`${io.stderr.color.red(prefix)} ${message}\nRun "event-relay ${help}" for usage.\n`);
  return EXIT.usage;
}

function unknownCommand(name: string): string {
  const names = [...new Set(COMMANDS.map((c) => c.name.split(' ')[0]!))];
  const close = names.find((n) => n.startsWith(name.slice(0, 2)) || name.startsWith(n));
  return `unknown command "${name}"${close === undefined ? '' : ` (did you mean "${close}"?)`}; commands: ${names.join(', ')}`;
}
