/**
 * Key helpers: a fresh Standard Webhooks HMAC secret, and a fresh ed25519 key pair in the `whsk_`/`whpk_` form.
 *
 * @module
 */
import { decodeBase64Url, encodeBase64 } from './encoding.js';
import { nodeCrypto } from './engine/node-crypto.js';
import { KEY_PREFIXES } from './keys.js';

/**
 * An ed25519 key pair for `standard-webhooks` asymmetric (`v1a`) signatures.
 *
 * @example `const { signingKey, publicKey }: Ed25519KeyPair = await generateEd25519KeyPair()`
 */
export interface Ed25519KeyPair {
  /** `whsk_` + base64 of the 32-byte seed: give it to the signer, keep it secret. */
  readonly signingKey: string;
  /** `whpk_` + base64 of the 32-byte raw public key: give it to receivers. */
  readonly publicKey: string;
}

const SECRET_BYTES = 32;

/**
 * A new random HMAC secret, `whsec_` + base64 of 32 random bytes (the Standard Webhooks form). For
 * `standard-webhooks` the decoded bytes are the key; the other schemes key with the string's bytes, which is as good.
 *
 * @example
 * ```ts
 * const secret = generateSecret() // 'whsec_…' : store it on both sides
 * ```
 */
export function generateSecret(): string {
  return KEY_PREFIXES.secret + encodeBase64(globalThis.crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/**
 * A new ed25519 key pair for `standard-webhooks` `v1a` signatures: sign with `signingKey`, verify with `publicKey`.
 *
 * @example
 * ```ts
 * const { signingKey, publicKey } = await generateEd25519KeyPair()
 * const headers = await sign({ scheme: 'standard-webhooks', secret: signingKey, id, body })
 * await verify({ scheme: 'standard-webhooks', secret: publicKey, headers, body })
 * ```
 */
export async function generateEd25519KeyPair(): Promise<Ed25519KeyPair> {
  let jwk: JsonWebKey;
  if (nodeCrypto) {
    jwk = nodeCrypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  } else {
    const pair = (await globalThis.crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    jwk = await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey);
  }
  return {
    signingKey: KEY_PREFIXES.signingKey + encodeBase64(decodeBase64Url(jwk.d)),
    publicKey: KEY_PREFIXES.publicKey + encodeBase64(decodeBase64Url(jwk.x)),
  };
}
