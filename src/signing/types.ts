/**
 * Types shared by the signing functions.
 *
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../observability/logger.js';

/**
 * The built-in signature schemes.
 *
 * @example `if (SIGNATURE_SCHEMES.includes(name)) createVerifier({ scheme: name, secret })`
 */
export const SIGNATURE_SCHEMES = ['teei-v1', 'standard-webhooks', 'buddy-connector', 'sha256-body'] as const;

/**
 * A built-in signature scheme, chosen by name.
 *
 * @example `const scheme: SchemeName = 'standard-webhooks'`
 */
export type SchemeName = (typeof SIGNATURE_SCHEMES)[number];

/**
 * The scheme used when none is given.
 *
 * @example `createSigner({ secret }).scheme === DEFAULT_SCHEME // true`
 */
export const DEFAULT_SCHEME: SchemeName = 'teei-v1';

/**
 * Headers in any of the forms a server hands over; names are matched case-insensitively.
 *
 * @example `verifier.verify({ headers: req.headers, body }) // also a Headers or a plain record`
 */
export type HeadersLike =
  | Headers
  | IncomingHttpHeaders
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * How a secret string becomes key bytes.
 *
 * @example `createVerifier({ scheme: 'standard-webhooks', secret: stripeStyleSecret, keyEncoding: 'utf8' })`
 */
export type KeyEncoding = 'utf8' | 'base64' | 'auto';

/**
 * Lowercase names of the headers a scheme reads and writes. `timestamp` is absent when the scheme carries it inside the signature header.
 *
 * @example `const { signature }: SchemeHeaderNames = schemeHeaders('teei-v1') // 'x-webhook-signature'`
 */
export interface SchemeHeaderNames {
  readonly id: string;
  readonly timestamp?: string;
  readonly signature: string;
}

/**
 * A request body: the exact bytes sent, or the string whose UTF-8 bytes are sent.
 *
 * @example `signer.sign({ id, body: Buffer.from(json) }) // or the string itself`
 */
export type SignableBody = string | Uint8Array;

/**
 * Secret material: a string (decoded per `keyEncoding`) or the raw key bytes.
 *
 * @example `createSigner({ secret: new Uint8Array(rawKeyBytes) })`
 */
export type SecretInput = string | Uint8Array;

/**
 * Options shared by every signing and verifying function.
 *
 * @example `const keys: KeyOptions = { scheme: 'standard-webhooks', secrets: [current, previous] }`
 */
export interface KeyOptions {
  /**
   * The signature scheme.
   * @default 'teei-v1'
   */
  scheme?: SchemeName | undefined;
  /**
   * One secret. Give `secret` or `secrets`, not both. For `standard-webhooks`, a `whsk_` key signs with ed25519 and
   * a `whpk_` key verifies ed25519 signatures. `undefined` is accepted by the type (`process.env.X`) and refused at
   * run time with a `ConfigError`, as is an empty or whitespace-only secret or the text `undefined` or `null`. A
   * secret shorter than `SECRET_MIN_BYTES` (32 bytes of text, 24 decoded) is used, with a warning.
   * @default undefined
   */
  secret?: SecretInput | undefined;
  /**
   * Several secrets, for rotation: the signer signs with each, the verifier accepts a match with any.
   * @default undefined
   */
  secrets?: readonly SecretInput[] | undefined;
  /**
   * How a string secret becomes key bytes: `utf8` (the string's bytes), `base64` (a `whsec_` prefix is dropped, the
   * rest decoded) or `auto`: for `standard-webhooks`, `whsec_<base64>` or bare base64 is decoded (as the
   * `standardwebhooks` and `svix` libraries do) and any other text keeps its UTF-8 bytes with a warning; for the other
   * schemes, the string's bytes.
   * @default 'auto'
   */
  keyEncoding?: KeyEncoding | undefined;
  /**
   * Where the warnings about a secret go (surrounding whitespace, shorter than `SECRET_MIN_BYTES`, not base64 for
   * `standard-webhooks`), once per signer or verifier created. Without a logger they go to `process.emitWarning`,
   * once per process and kind. The secret itself is never printed.
   * @default undefined
   */
  logger?: Logger | undefined;
}

/**
 * Options of {@link createVerifier}.
 *
 * @example `createVerifier({ secret, toleranceSeconds: 60 } satisfies VerifierOptions)`
 */
export interface VerifierOptions extends KeyOptions {
  /**
   * The largest accepted distance, in seconds, between the signed timestamp and now, in both directions.
   * Not applied by `sha256-body`, which does not sign its timestamp.
   * @default 300
   */
  toleranceSeconds?: number | undefined;
}

/**
 * What to sign.
 *
 * @example `signer.sign({ id: envelope.metadata.id, body, timestamp: new Date() })`
 */
export interface SignInput {
  /** The delivery id: the event's `metadata.id` unless you have another. */
  id: string;
  /** The exact body sent. */
  body: SignableBody;
  /**
   * The time of this attempt.
   * @default new Date()
   */
  timestamp?: Date;
}

/**
 * What to verify.
 *
 * @example `verifier.verify({ headers: req.headers, body: rawBody, now: new Date() })`
 */
export interface VerifyInput {
  /** The request headers, in any form and any case. */
  headers: HeadersLike;
  /** The raw body as received: never a re-serialised parsed object. */
  body: SignableBody;
  /**
   * The current time, for the tolerance check.
   * @default new Date()
   */
  now?: Date;
}

/**
 * Options of {@link sign}.
 *
 * @example `sign({ secret, id, body } satisfies SignOptions)`
 */
export interface SignOptions extends KeyOptions, SignInput {}

/**
 * Options of {@link verify}.
 *
 * @example `verify({ secret, headers, body, toleranceSeconds: 300 } satisfies VerifyOptions)`
 */
export interface VerifyOptions extends VerifierOptions, VerifyInput {}

/**
 * What a successful verification proved.
 *
 * @example `const { id, timestamp }: VerifiedSignature = await verifier.verify({ headers, body })`
 */
export interface VerifiedSignature {
  /** The delivery id from the scheme's id header. */
  readonly id: string;
  /**
   * The signed timestamp. For `sha256-body` (timestamp not signed) it is the timestamp header when present, else
   * the verification time.
   */
  readonly timestamp: Date;
}

/**
 * Signs requests with keys decoded once. Made by {@link createSigner}. Its methods do not use `this`: they may be
 * detached.
 *
 * @example `const headers = await signer.sign({ id, body }) // or signer.signSync?.({ id, body })`
 */
export interface Signer {
  /** The scheme this signer writes. */
  readonly scheme: SchemeName;
  /** The headers to send with `body`; several signatures in one header when several secrets were given. */
  readonly sign: (input: SignInput) => Promise<Record<string, string>>;
  /**
   * The same as `sign`, synchronously. Present only where `node:crypto` is available (Node, Deno, Bun); absent on
   * runtimes that only have Web Crypto.
   */
  readonly signSync?: (input: SignInput) => Record<string, string>;
}

/**
 * Verifies requests with keys decoded once. Made by {@link createVerifier}. Its methods do not use `this`: they may
 * be detached.
 *
 * @example `if (verifier.hasSignature(req.headers)) await verifier.verify({ headers: req.headers, body })`
 */
export interface Verifier {
  /** The scheme this verifier reads. */
  readonly scheme: SchemeName;
  /** Resolves with the verified id and timestamp, or rejects with a `SignatureVerificationError`. */
  readonly verify: (input: VerifyInput) => Promise<VerifiedSignature>;
  /** The same as `verify`, synchronously (throws). Present only where `node:crypto` is available. */
  readonly verifySync?: (input: VerifyInput) => VerifiedSignature;
  /** Whether the scheme's signature header is present and non-empty (it says nothing about its validity). */
  readonly hasSignature: (headers: HeadersLike) => boolean;
}
