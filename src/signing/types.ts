/**
 * Types shared by the signing functions.
 *
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The built-in signature schemes. */
export const SIGNATURE_SCHEMES = ['teei-v1', 'standard-webhooks', 'buddy-connector', 'sha256-body'] as const;

/** A built-in signature scheme, chosen by name. */
export type SchemeName = (typeof SIGNATURE_SCHEMES)[number];

/** The scheme used when none is given. */
export const DEFAULT_SCHEME: SchemeName = 'teei-v1';

/** Headers in any of the forms a server hands over; names are matched case-insensitively. */
export type HeadersLike =
  | Headers
  | IncomingHttpHeaders
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** How a secret string becomes key bytes. */
export type KeyEncoding = 'utf8' | 'base64' | 'auto';
