/**
 * The command line's argument layer: a command declares its flags once (type, help text, environment variable,
 * default, allowed values) and gets typed values back. Parsing is `node:util` `parseArgs` in strict mode; this file
 * adds what it lacks: environment defaults, choices, positional checks and the help text.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { UsageError } from './cli-errors.js';

/**
 * One flag of a command.
 *
 * @example `const scheme: FlagSpec = { type: 'string', value: '<name>', description: 'signature scheme', env: 'CSR_WEBHOOK_SCHEME' }`
 */
export interface FlagSpec {
  /** A `string` flag takes a value; a `boolean` flag does not. */
  readonly type: 'string' | 'boolean';
  /** A one-letter alias, e.g. `s` for `-s`. @default undefined */
  readonly short?: string;
  /** Whether the flag may repeat (values collected in order). Only for `string` flags. @default false */
  readonly multiple?: boolean;
  /** The placeholder shown in the help, e.g. `<url>`. @default '<value>' */
  readonly value?: string;
  /** One line for the help. */
  readonly description: string;
  /** The environment variable read when the flag is absent (`string` flags). @default undefined */
  readonly env?: string;
  /** The value when neither the flag nor its variable is set. @default undefined */
  readonly default?: string;
  /** The values allowed. @default any */
  readonly choices?: readonly string[];
  /** Whether the value is a secret: never echoed in an error. @default false */
  readonly secret?: boolean;
}

/**
 * The flags of a command, by long name.
 *
 * @example `const flags = { json: { type: 'boolean', description: 'print JSON' } } as const satisfies FlagSpecs`
 */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/**
 * The parsed value of one flag: `boolean`, `string[]` for a repeatable flag, else `string | undefined`.
 *
 * @example `type Url = FlagValue<{ type: 'string'; description: '' }> // string | undefined`
 */
export type FlagValue<S extends FlagSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['multiple'] extends true
    ? string[]
    : string | undefined;

/**
 * What a command receives: its flags, typed from their specs, and its positional arguments.
 *
 * @example `const { flags, positionals }: ParsedArgs<typeof SIGN_FLAGS> = parseCommandArgs(spec, argv, env)`
 */
export interface ParsedArgs<F extends FlagSpecs> {
  readonly flags: { readonly [K in keyof F]: FlagValue<F[K]> };
  readonly positionals: readonly string[];
  /** Where each flag's value came from, for messages: `--url` or `CSR_WEBHOOK_URL`; absent for a default. */
  readonly sources: { readonly [K in keyof F]?: string };
}

/**
 * A positional argument, for the help and the count check.
 *
 * @example `const file: PositionalSpec = { name: 'file', description: 'the body; - for stdin', optional: true }`
 */
export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  /** @default false */
  readonly optional?: boolean;
}

/**
 * The parts of a command the argument layer reads.
 *
 * @example `parseCommandArgs({ name: 'sign', flags, positionals: [] }, ['--json'], process.env)`
 */
export interface ArgsSpec<F extends FlagSpecs> {
  readonly name: string;
  readonly flags: F;
  readonly positionals: readonly PositionalSpec[];
}

/**
 * Parses `argv` for one command: flags first from the command line, then from their environment variable, then
 * their default. `--help`/`-h` is handled by the caller before this runs.
 *
 * @throws {UsageError} for an unknown flag, a missing value, a value outside `choices`, or a wrong positional count.
 * @example
 * ```ts
 * const { flags } = parseCommandArgs(spec, ['--scheme', 'standard-webhooks'], process.env)
 * flags.scheme // 'standard-webhooks'
 * ```
 */
export function parseCommandArgs<F extends FlagSpecs>(
  spec: ArgsSpec<F>,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedArgs<F> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    options[name] = {
      type: flag.type,
      ...(flag.short === undefined ? {} : { short: flag.short }),
      ...(flag.multiple ? { multiple: true } : {}),
    };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(spec.name, parseArgsMessage(error));
  }
  const flags: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    let value = parsed.values[name];
    let source: string | undefined = value === undefined ? undefined : `--${name}`;
    if (value === undefined && flag.type === 'string' && flag.env !== undefined && (env[flag.env] ?? '') !== '') {
      const text = env[flag.env] as string;
      value = flag.multiple ? [text] : text;
      source = flag.env;
    }
    if (value === undefined && flag.default !== undefined) value = flag.multiple ? [flag.default] : flag.default;
    if (value === undefined && flag.type === 'boolean') value = false;
    if (value === undefined && flag.multiple) value = [];
    for (const one of Array.isArray(value) ? value : [value]) {
      if (flag.choices !== undefined && typeof one === 'string' && !flag.choices.includes(one)) {
        const shown = flag.secret ? '' : `, got ${JSON.stringify(one)}`;
        throw new UsageError(spec.name, `${source ?? `--${name}`} must be one of ${flag.choices.join(', ')}${shown}`);
      }
    }
    if (source !== undefined) sources[name] = source;
    flags[name] = value;
  }
  const required = spec.positionals.filter((p) => !p.optional).length;
  const { positionals } = parsed;
  if (positionals.length < required) {
    const missing = spec.positionals.slice(positionals.length, required).map((p) => `<${p.name}>`);
    throw new UsageError(spec.name, `missing ${missing.join(' ')}`);
  }
  if (positionals.length > spec.positionals.length) {
    const extra = positionals.slice(spec.positionals.length).map((p) => JSON.stringify(p.slice(0, 40)));
    throw new UsageError(spec.name, `unexpected argument ${extra.join(' ')}`);
  }
  return { flags, positionals, sources } as unknown as ParsedArgs<F>;
}

/** `parseArgs` messages, without the long hints about `--` that do not apply here. */
function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '');
}
