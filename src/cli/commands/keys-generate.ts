/**
 * `event-relay keys generate`: a new secret for a scheme, or an ed25519 key pair for `standard-webhooks`.
 *
 * @module
 */
import { generateEd25519KeyPair, generateSecret, SIGNATURE_SCHEMES } from '../../index.js';
import type { FlagSpecs } from '../args.js';
import { UsageError } from '../cli-errors.js';
import { defineCommand } from '../command.js';
import { JSON_FLAG } from '../key-flags.js';

const FLAGS = {
  scheme: {
    type: 'string',
    value: '<name>',
    description: 'the scheme the secret is for',
    env: 'CSR_WEBHOOK_SCHEME',
    default: 'teei-v1',
    choices: SIGNATURE_SCHEMES,
  },
  ed25519: {
    type: 'boolean',
    description: 'an ed25519 key pair (whsk_ signing key, whpk_ public key) for standard-webhooks v1a signatures',
  },
  json: JSON_FLAG,
} as const satisfies FlagSpecs;

/**
 * The `keys generate` command.
 *
 * @example `event-relay keys generate --scheme standard-webhooks --ed25519`
 */
export const keysGenerateCommand = defineCommand({
  name: 'keys generate',
  summary: 'print a new secret for a scheme, or an ed25519 key pair',
  description:
    'Prints a new random secret: whsec_ and the base64 of 32 random bytes, the Standard Webhooks form (the other\n' +
    'schemes key their HMAC with the whole string, which is as strong). Store it on both sides: CSR_WEBHOOK_SECRET\n' +
    'on the sender, WEBHOOK_SIGNATURE_SECRET on the receiver. With --ed25519 (standard-webhooks only) it prints two\n' +
    'lines: the signing key for the sender, then the public key for receivers. This is the one command that prints\n' +
    'a secret; the hints go to stderr, so stdout holds only the keys.',
  positionals: [],
  flags: FLAGS,
  examples: [
    'event-relay keys generate',
    'event-relay keys generate --scheme standard-webhooks --ed25519 --json',
    'export CSR_WEBHOOK_SECRET="$(event-relay keys generate)"',
  ],
  async run({ flags, sources }, io) {
    const scheme = flags.scheme ?? 'teei-v1';
    if (flags.ed25519) {
      if (sources.scheme !== undefined && scheme !== 'standard-webhooks') {
        throw new UsageError('keys generate', `--ed25519 keys are for the standard-webhooks scheme, not ${scheme}`);
      }
      const { signingKey, publicKey } = await generateEd25519KeyPair();
      if (flags.json) {
        io.stdout.write(`${JSON.stringify({ scheme: 'standard-webhooks', signingKey, publicKey })}\n`);
        return 0;
      }
      io.stdout.write(`${signingKey}\n${publicKey}\n`);
      io.stderr.write(
        io.stderr.color.dim(
          'line 1: the signing key (whsk_): keep it secret, on the sender (CSR_WEBHOOK_SECRET)\n' +
            'line 2: the public key (whpk_): for receivers (WEBHOOK_SIGNATURE_SECRET); both with --scheme standard-webhooks\n',
        ),
      );
      return 0;
    }
    const secret = generateSecret();
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ scheme, secret })}\n`);
      return 0;
    }
    io.stdout.write(`${secret}\n`);
    io.stderr.write(
      io.stderr.color.dim(
        `a ${scheme} secret: set it as CSR_WEBHOOK_SECRET on the sender and WEBHOOK_SIGNATURE_SECRET on the receiver\n`,
      ),
    );
    return 0;
  },
});
