/**
 * The Web Crypto engine, for runtimes without `node:crypto` (edge runtimes behind Hono). Keys are imported once,
 * asynchronously; HMAC results are compared in constant time on bytes. About 5 to 7 times slower than `node:crypto`
 * on Node for 1 KB bodies, so Node never uses it.
 *
 * @module
 */
import {
  concatBytes,
  constantTimeEqualText,
  decodeBase64,
  decodeBase64Url,
  encodeBase64,
  encodeHex,
  toBytes,
} from '../encoding.js';
import type { KeyMaterial } from '../keys.js';
import type { EncodedSignature, SignatureCandidate } from '../schemes/scheme.js';
import type { SignableBody } from '../types.js';
import { publicKeyCannotSign, seedToPkcs8 } from './ed25519-der.js';
import type { Engine, KeyPurpose, KeyRing } from './engine.js';

type Prepared = { kind: 'hmac' | 'ed25519'; key: CryptoKey };

const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const;
const ED25519 = { name: 'Ed25519' } as const;

// Web Crypto's BufferSource wants an ArrayBuffer-backed view; TextEncoder and our helpers always give one.
const source = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;

async function publicFromPrivate(subtle: SubtleCrypto, seed: Uint8Array): Promise<CryptoKey> {
  const extractable = await subtle.importKey('pkcs8', source(seedToPkcs8(seed)), ED25519, true, ['sign']);
  const jwk = await subtle.exportKey('jwk', extractable);
  return subtle.importKey('raw', source(decodeBase64Url(jwk.x)), ED25519, false, ['verify']);
}

async function prepare(subtle: SubtleCrypto, keys: readonly KeyMaterial[]) {
  const signing: Prepared[] = [];
  const hmacKeys: CryptoKey[] = [];
  const publicKeys: CryptoKey[] = [];
  for (const material of keys) {
    if (material.kind === 'hmac') {
      const key = await subtle.importKey('raw', source(material.bytes), HMAC, false, ['sign']);
      hmacKeys.push(key);
      signing.push({ kind: 'hmac', key });
    } else if (material.kind === 'ed25519-private') {
      const key = await subtle.importKey('pkcs8', source(seedToPkcs8(material.seed)), ED25519, false, ['sign']);
      signing.push({ kind: 'ed25519', key });
      publicKeys.push(await publicFromPrivate(subtle, material.seed));
    } else {
      publicKeys.push(await subtle.importKey('raw', source(material.publicKey), ED25519, false, ['verify']));
    }
  }
  return { signing, hmacKeys, publicKeys };
}

/**
 * An engine on the given `SubtleCrypto`.
 *
 * @example `const engine = webEngine(globalThis.crypto.subtle)`
 */
export function webEngine(subtle: SubtleCrypto): Engine {
  function createKeyRing(keys: readonly KeyMaterial[], encoding: 'hex' | 'base64', purpose: KeyPurpose): KeyRing {
    if (purpose === 'sign' && keys.some((key) => key.kind === 'ed25519-public')) throw publicKeyCannotSign();
    const prepared = prepare(subtle, keys);
    // Reported on first use; without this an unused ring's failure would be an unhandled rejection.
    prepared.catch(() => {});
    const message = (prefix: string, body: SignableBody) => source(concatBytes(toBytes(prefix), toBytes(body)));

    async function sign(prefix: string, body: SignableBody): Promise<EncodedSignature[]> {
      const { signing } = await prepared;
      const data = message(prefix, body);
      const out: EncodedSignature[] = [];
      for (const { kind, key } of signing) {
        if (kind === 'hmac') {
          const mac = new Uint8Array(await subtle.sign('HMAC', key, data));
          out.push({ algorithm: 'hmac-sha256', encoded: encoding === 'hex' ? encodeHex(mac) : encodeBase64(mac) });
        } else {
          out.push({
            algorithm: 'ed25519',
            encoded: encodeBase64(new Uint8Array(await subtle.sign(ED25519, key, data))),
          });
        }
      }
      return out;
    }

    async function verify(
      prefix: string,
      body: SignableBody,
      candidates: readonly SignatureCandidate[],
    ): Promise<boolean> {
      const { hmacKeys, publicKeys } = await prepared;
      const data = message(prefix, body);
      if (candidates.some((candidate) => candidate.algorithm === 'hmac-sha256')) {
        for (const key of hmacKeys) {
          const mac = new Uint8Array(await subtle.sign('HMAC', key, data));
          const encoded = encoding === 'hex' ? encodeHex(mac) : encodeBase64(mac);
          for (const candidate of candidates) {
            if (candidate.algorithm === 'hmac-sha256' && constantTimeEqualText(encoded, candidate.encoded)) return true;
          }
        }
      }
      for (const key of publicKeys) {
        for (const candidate of candidates) {
          if (candidate.algorithm !== 'ed25519') continue;
          const signature = decodeBase64(candidate.encoded);
          if (signature && (await subtle.verify(ED25519, key, source(signature), data))) return true;
        }
      }
      return false;
    }

    return { sign, verify };
  }

  return { name: 'web', createKeyRing };
}
