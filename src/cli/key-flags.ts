/**
 * The key flags every signing or verifying command shares, and their translation into the library's `KeyOptions`.
 * The sending side reads `CSR_WEBHOOK_SECRET`, the receiving side `WEBHOOK_SIGNATURE_SECRET`, as the library's
 * `publisherConfigFromEnv` and `receiverConfigFromEnv` do; `CSR_WEBHOOK_SCHEME` names the scheme both sides use.
 *
 * @module
 */
import { type KeyOptions, type SchemeName, SIGNATURE_SCHEMES } from '../index.js';
import type { FlagSpecs } from './args.js';
import { UsageError } from './cli-errors.js';

const scheme = {
  type: 'string',
  value: '<name>',
  description: 'the signature scheme',
  env: 'CSR_WEBHOOK_SCHEME',
  default: 'teei-v1',
  choices: SIGNATURE_SCHEMES,
} as const;

const keyEncoding = {
  type: 'string',
  value: '<how>',
  description: 'how a secret string becomes key bytes (auto: whsec_<base64> decoded for standard-webhooks)',
  default: 'auto',
  choices: ['auto', 'utf8', 'base64'],
} as const;

/**
 * `--secret`, `--scheme`, `--key-encoding` for commands that sign (the Buddy System's side).
 *
 * @example `const flags = { ...SENDER_KEY_FLAGS, url: URL_FLAG } as const satisfies FlagSpecs`
 */
export const SENDER_KEY_FLAGS = {
  secret: {
    type: 'string',
    short: 's',
    multiple: true,
    value: '<secret>',
    description: 'the shared secret; repeat it to sign with each (rotation)',
    env: 'CSR_WEBHOOK_SECRET',
    secret: true,
  },
  scheme,
  'key-encoding': keyEncoding,
} as const satisfies FlagSpecs;

/**
 * `--secret`, `--scheme`, `--key-encoding` for commands that verify (the CSR Platform's side).
 *
 * @example `const flags = { ...RECEIVER_KEY_FLAGS, json: JSON_FLAG } as const satisfies FlagSpecs`
 */
export const RECEIVER_KEY_FLAGS = {
  secret: {
    type: 'string',
    short: 's',
    multiple: true,
    value: '<secret>',
    description: 'the shared secret; repeat it to accept any of several (rotation)',
    env: 'WEBHOOK_SIGNATURE_SECRET',
    secret: true,
  },
  scheme,
  'key-encoding': keyEncoding,
} as const satisfies FlagSpecs;

/**
 * `--json`, shared by the commands that can print machine-readable output.
 *
 * @example `const flags = { json: JSON_FLAG } as const satisfies FlagSpecs`
 */
export const JSON_FLAG = { type: 'boolean', description: 'print JSON instead of text' } as const;

/**
 * The flags of {@link SENDER_KEY_FLAGS} or {@link RECEIVER_KEY_FLAGS}, parsed.
 *
 * @example `keyOptions('sign', args.flags, 'CSR_WEBHOOK_SECRET')`
 */
export interface KeyFlags {
  readonly secret: readonly string[];
  readonly scheme: string | undefined;
  readonly 'key-encoding': string | undefined;
}

/**
 * The library's key options from the flags.
 *
 * @throws {UsageError} when no secret was given by flag or variable.
 * @example `await sign({ ...keyOptions('sign', flags, 'CSR_WEBHOOK_SECRET'), id, body })`
 */
export function keyOptions(command: string, flags: KeyFlags, variable: string): KeyOptions & { scheme: SchemeName } {
  if (flags.secret.length === 0) throw new UsageError(command, `give --secret, or set ${variable}`);
  const options: KeyOptions & { scheme: SchemeName } = {
    scheme: (flags.scheme ?? 'teei-v1') as SchemeName,
    keyEncoding: (flags['key-encoding'] ?? 'auto') as NonNullable<KeyOptions['keyEncoding']>,
  };
  if (flags.secret.length === 1) options.secret = flags.secret[0]!;
  else options.secrets = flags.secret;
  return options;
}
