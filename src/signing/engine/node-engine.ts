/**
 * The `node:crypto` engine: HMAC keys become `KeyObject`s once, signatures are computed synchronously with
 * `createHmac` and compared in constant time as text in the scheme's encoding.
 *
 * @module
 */
import type * as NodeCrypto from 'node:crypto';
import { constantTimeEqualText } from '../encoding.js';
import type { KeyMaterial } from '../keys.js';
import type { EncodedSignature, SignatureCandidate } from '../schemes/scheme.js';
import type { SignableBody } from '../types.js';
import { publicKeyCannotSign, rawPublicKeyToSpki, seedToPkcs8 } from './ed25519-der.js';
import type { Engine, KeyPurpose, KeyRing } from './engine.js';

type KeyObject = NodeCrypto.KeyObject;

/**
 * An engine on the given `node:crypto` module.
 *
 * @example `const engine = nodeEngine(process.getBuiltinModule('node:crypto'))`
 */
export function nodeEngine(crypto: typeof NodeCrypto): Engine {
  const toBuffer = (value: SignableBody): Buffer =>
    typeof value === 'string' ? Buffer.from(value) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const message = (prefix: string, body: SignableBody): Buffer =>
    prefix === '' ? toBuffer(body) : Buffer.concat([Buffer.from(prefix), toBuffer(body)]);

  // Two updates rather than `prefix + body`: no copy of the body, and measured no slower for 1 KB bodies.
  function hmac(key: KeyObject, prefix: string, body: SignableBody): NodeCrypto.Hmac {
    const mac = crypto.createHmac('sha256', key);
    return prefix === '' ? mac.update(body) : mac.update(prefix).update(body);
  }

  function createKeyRing(keys: readonly KeyMaterial[], encoding: 'hex' | 'base64', purpose: KeyPurpose): KeyRing {
    const hmacKeys: KeyObject[] = [];
    const publicKeys: KeyObject[] = [];
    const order: { kind: 'hmac' | 'ed25519'; key: KeyObject }[] = [];
    for (const material of keys) {
      if (material.kind === 'hmac') {
        const key = crypto.createSecretKey(material.bytes);
        hmacKeys.push(key);
        order.push({ kind: 'hmac', key });
      } else if (material.kind === 'ed25519-private') {
        const key = crypto.createPrivateKey({
          key: Buffer.from(seedToPkcs8(material.seed)),
          format: 'der',
          type: 'pkcs8',
        });
        publicKeys.push(crypto.createPublicKey(key));
        order.push({ kind: 'ed25519', key });
      } else {
        if (purpose === 'sign') throw publicKeyCannotSign();
        const spki = Buffer.from(rawPublicKeyToSpki(material.publicKey));
        publicKeys.push(crypto.createPublicKey({ key: spki, format: 'der', type: 'spki' }));
      }
    }

    function signSync(prefix: string, body: SignableBody): EncodedSignature[] {
      const out: EncodedSignature[] = [];
      for (const { kind, key } of order) {
        if (kind === 'hmac') out.push({ algorithm: 'hmac-sha256', encoded: hmac(key, prefix, body).digest(encoding) });
        else
          out.push({ algorithm: 'ed25519', encoded: crypto.sign(null, message(prefix, body), key).toString('base64') });
      }
      return out;
    }

    function verifySync(prefix: string, body: SignableBody, candidates: readonly SignatureCandidate[]): boolean {
      let hasHmac = false;
      let hasEd25519 = false;
      for (const candidate of candidates) {
        if (candidate.algorithm === 'hmac-sha256') hasHmac = true;
        else hasEd25519 = true;
      }
      if (hasHmac) {
        for (const key of hmacKeys) {
          // Compared as text in the header's encoding (the candidates are canonical), in constant time: measured on a
          // 1 KB verify, 0.85 µs less than decoding the header and comparing bytes, and 0.18 µs less than
          // `timingSafeEqual` over the two texts' bytes (two buffers to allocate).
          const mac = hmac(key, prefix, body).digest(encoding);
          for (const candidate of candidates) {
            if (candidate.algorithm === 'hmac-sha256' && constantTimeEqualText(mac, candidate.encoded)) return true;
          }
        }
      }
      if (hasEd25519 && publicKeys.length > 0) {
        const data = message(prefix, body);
        for (const key of publicKeys) {
          for (const candidate of candidates) {
            if (candidate.algorithm !== 'ed25519') continue;
            if (crypto.verify(null, data, key, Buffer.from(candidate.encoded, 'base64'))) return true;
          }
        }
      }
      return false;
    }

    return {
      signSync,
      verifySync,
      sign: async (prefix, body) => signSync(prefix, body),
      verify: async (prefix, body, candidates) => verifySync(prefix, body, candidates),
    };
  }

  return { name: 'node', createKeyRing };
}
