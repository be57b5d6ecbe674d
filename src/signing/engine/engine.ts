/**
 * What a crypto engine does for the signer and verifier: sign the content `prefix + body` with every key, and tell
 * whether any key matches any candidate signature. Two engines implement it: `node:crypto` (synchronous, fast) and
 * Web Crypto (asynchronous, for runtimes without `node:crypto`).
 *
 * @module
 */
import type { KeyMaterial } from '../keys.js';
import type { EncodedSignature, SignatureCandidate } from '../schemes/scheme.js';
import type { SignableBody } from '../types.js';

/**
 * Keys prepared once for one scheme's encoding.
 *
 * @example `const ok = ring.verifySync?.(prefix, body, candidates)`
 */
export interface KeyRing {
  /** One signature per signing key, in the order the keys were given. */
  sign(prefix: string, body: SignableBody): Promise<EncodedSignature[]>;
  signSync?(prefix: string, body: SignableBody): EncodedSignature[];
  /** Whether any key produced any of the candidates (constant-time per comparison). */
  verify(prefix: string, body: SignableBody, candidates: readonly SignatureCandidate[]): Promise<boolean>;
  verifySync?(prefix: string, body: SignableBody, candidates: readonly SignatureCandidate[]): boolean;
}

/**
 * What a key ring is for: signing needs private keys, verifying accepts public ones.
 *
 * @example `engine.createKeyRing(keys, 'hex', 'verify')`
 */
export type KeyPurpose = 'sign' | 'verify';

/**
 * A crypto engine.
 *
 * @example `const ring = defaultEngine().createKeyRing(keys, scheme.encoding, 'sign')`
 */
export interface Engine {
  readonly name: 'node' | 'web';
  /** Prepares the keys; HMAC signatures are encoded as `encoding`, ed25519 ones as base64. */
  createKeyRing(keys: readonly KeyMaterial[], encoding: 'hex' | 'base64', purpose: KeyPurpose): KeyRing;
}
