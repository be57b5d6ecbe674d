/**
 * DER wrappers that let both engines import raw ed25519 keys: a 32-byte seed as PKCS #8, a 32-byte public key as
 * SPKI (RFC 8410).
 *
 * @module
 */
import { ConfigError } from '../../errors.js';
import { concatBytes } from '../encoding.js';

const PKCS8_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
const SPKI_PREFIX = new Uint8Array([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/**
 * PKCS #8 DER of an ed25519 private key from its 32-byte seed.
 *
 * @example `createPrivateKey({ key: Buffer.from(seedToPkcs8(seed)), format: 'der', type: 'pkcs8' })`
 */
export function seedToPkcs8(seed: Uint8Array): Uint8Array {
  return concatBytes(PKCS8_PREFIX, seed);
}

/**
 * SPKI DER of a raw 32-byte ed25519 public key.
 *
 * @example `createPublicKey({ key: Buffer.from(rawPublicKeyToSpki(raw)), format: 'der', type: 'spki' })`
 */
export function rawPublicKeyToSpki(publicKey: Uint8Array): Uint8Array {
  return concatBytes(SPKI_PREFIX, publicKey);
}

/**
 * The error for a public key given to a signer.
 *
 * @example `if (purpose === 'sign') throw publicKeyCannotSign()`
 */
export function publicKeyCannotSign(): ConfigError {
  return new ConfigError('a whpk_ public key can verify but not sign: give the signer the whsk_ signing key', {
    option: 'secret',
  });
}
