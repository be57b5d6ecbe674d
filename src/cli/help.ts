/**
 * Help texts: one per command, one for a group (`dlq`, `keys`), and the main one.
 *
 * @module
 */
import type { FlagSpec, FlagSpecs } from './args.js';
import type { Palette } from './colors.js';
import type { Command } from './command.js';

const BIN = 'event-relay';

/**
 * The exit codes, as every help text states them.
 *
 * @example `process.exitCode = EXIT.usage`
 */
export const EXIT = Object.freeze({ ok: 0, failure: 1, usage: 2 });

/**
 * `event-relay <command> --help`.
 *
 * @example `io.stdout.write(commandHelp(sign, io.stdout.color))`
 */
export function commandHelp(command: Command, color: Palette): string {
  const args = command.positionals.map((p) => (p.optional ? `[${p.name}]` : `<${p.name}>`)).join(' ');
  const lines = [
    `${color.bold(`Usage: ${BIN} ${command.name}`)}${args === '' ? '' : ` ${args}`} [flags]`,
    '',
    command.description,
  ];
  if (command.positionals.length > 0) {
    lines.push('', color.bold('Arguments:'));
    const width = Math.max(...command.positionals.map((p) => p.name.length));
    for (const p of command.positionals) lines.push(`  ${p.name.padEnd(width)}  ${p.description}`);
  }
  lines.push('', color.bold('Flags:'), ...flagLines(command.flags, color));
  if (command.examples.length > 0) {
    lines.push('', color.bold('Examples:'), ...command.examples.map((e) => `  ${e}`));
  }
  lines.push('', `Exit codes: 0 success, 1 failure, 2 bad usage.`);
  return `${lines.join('\n')}\n`;
}

/**
 * `event-relay dlq --help`: the subcommands of a group.
 *
 * @example `io.stdout.write(groupHelp('dlq', [dlqList, dlqRedrive], color))`
 */
export function groupHelp(group: string, commands: readonly Command[], color: Palette): string {
  const lines = [color.bold(`Usage: ${BIN} ${group} <command> [flags]`), '', color.bold('Commands:')];
  lines.push(...commandList(commands));
  lines.push('', `Run "${BIN} ${group} <command> --help" for the flags of each.`);
  return `${lines.join('\n')}\n`;
}

/**
 * `event-relay --help`.
 *
 * @example `io.stdout.write(mainHelp(COMMANDS, VERSION, color))`
 */
export function mainHelp(commands: readonly Command[], version: string, color: Palette): string {
  return `${[
    `${color.bold(BIN)} ${version}: sign, verify, send, receive and check webhooks of @teei/event-relay.`,
    '',
    color.bold(`Usage: ${BIN} <command> [flags]`),
    '',
    color.bold('Commands:'),
    ...commandList(commands),
    '',
    color.bold('Flags:'),
    '  -h, --help     show the help (of a command: event-relay <command> --help)',
    '  -v, --version  print the version',
    '',
    color.bold('Environment:'),
    '  Flags default to the variables the library reads: CSR_WEBHOOK_URL, CSR_WEBHOOK_SECRET, CSR_WEBHOOK_SCHEME,',
    '  CSR_WEBHOOK_TIMEOUT_MS, CSR_WEBHOOK_RETRY_ATTEMPTS, CSR_WEBHOOK_RETRY_BACKOFF_MS (sending side) and',
    '  WEBHOOK_SIGNATURE_SECRET, WEBHOOK_SIGNATURE_VALIDATION_ENABLED (receiving side). A flag wins over its variable.',
    '  NO_COLOR turns colours off; they are only used on a terminal.',
    '',
    'Exit codes: 0 success, 1 failure, 2 bad usage.',
  ].join('\n')}\n`;
}

function commandList(commands: readonly Command[]): string[] {
  const width = Math.max(...commands.map((c) => c.name.length));
  return commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
}

function flagLines(flags: FlagSpecs, color: Palette): string[] {
  const all: [string, FlagSpec][] = [
    ...Object.entries(flags),
    ['help', { type: 'boolean', short: 'h', description: 'show this help' }],
  ];
  const heads = all.map(([name, flag]) => {
    const short = flag.short === undefined ? '    ' : `-${flag.short}, `;
    return `${short}--${name}${flag.type === 'string' ? ` ${flag.value ?? '<value>'}` : ''}`;
  });
  const width = Math.max(...heads.map((h) => h.length));
  // Each flag on one line, and what it defaults to on the next: a long note never pushes the description off screen.
  return all.flatMap(([, flag], i) => {
    const notes: string[] = [];
    if (flag.choices !== undefined) notes.push(`one of ${flag.choices.join(', ')}`);
    if (flag.default !== undefined) notes.push(`default ${flag.default}`);
    if (flag.env !== undefined) notes.push(`env ${flag.env}`);
    if (flag.multiple) notes.push('repeatable');
    const line = `  ${heads[i]!.padEnd(width)}  ${flag.description}`;
    return notes.length === 0 ? [line] : [line, `  ${' '.repeat(width)}  ${color.dim(notes.join('; '))}`];
  });
}
