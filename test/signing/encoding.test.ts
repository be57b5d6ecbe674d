// The portable codecs run only where Buffer is absent (edge runtimes); here they are held to Node's own codecs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalBase64,
  canonicalHex,
  constantTimeEqualText,
  decodeBase64,
  decodeHex,
  portable,
} from '../../src/signing/encoding.js';

describe('portable codecs', () => {
  it('encode and decode like Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const buffer = Buffer.from(bytes);
        expect(portable.encodeHex(bytes)).toBe(buffer.toString('hex'));
        expect(portable.encodeBase64(bytes)).toBe(buffer.toString('base64'));
        expect(portable.decodeHex(buffer.toString('hex'))).toEqual(new Uint8Array(bytes));
        expect(portable.decodeBase64(buffer.toString('base64'))).toEqual(new Uint8Array(bytes));
        expect(portable.decodeBase64(buffer.toString('base64').replace(/=+$/, ''))).toEqual(new Uint8Array(bytes));
      }),
      { numRuns: 100 },
    );
  });

  it('refuse what is not hex or base64, as the Buffer-backed versions do', () => {
    for (const decode of [portable.decodeHex, decodeHex]) {
      for (const bad of ['abc', 'zz', 'ab cd', '0x12']) expect(decode(bad)).toBeUndefined();
      expect(Array.from(decode('AbCd') ?? [])).toEqual([0xab, 0xcd]);
    }
    for (const decode of [portable.decodeBase64, decodeBase64]) {
      for (const bad of ['a', 'ab=c', '!!!!', 'YWJj\n', 'YW Jj']) expect(decode(bad)).toBeUndefined();
    }
  });
});

describe('constantTimeEqualText', () => {
  it('is string equality, false at once on a length difference', () => {
    expect(constantTimeEqualText('a1b2', 'a1b2')).toBe(true);
    expect(constantTimeEqualText('a1b2', 'a1b3')).toBe(false);
    expect(constantTimeEqualText('a1b2', 'a1b')).toBe(false);
    expect(constantTimeEqualText('', '')).toBe(true);
  });
});

// Signatures are compared as canonical text; these hold the canonical forms to what decoding accepted before.
describe('canonical signature text', () => {
  it('canonicalHex accepts hex of either case, in place, and refuses anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.boolean(), (bytes, upper) => {
        const hex = Buffer.from(bytes).toString('hex');
        const value = `sha256=${upper ? hex.toUpperCase() : hex}`;
        expect(canonicalHex(value, 7, value.length)).toBe(hex);
      }),
      { numRuns: 100 },
    );
    for (const bad of ['zz', 'a ', '0x', 'é1']) expect(canonicalHex(`v=${bad}`, 2, 4)).toBeUndefined();
  });

  it('canonicalBase64 gives the padded encoding of what decodeBase64 decodes to that length, else undefined', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 0, max: 3 }), (bytes, bits) => {
        const canonical = Buffer.from(bytes).toString('base64');
        expect(canonicalBase64(`v1,${canonical}`, 3, 47, 32)).toBe(canonical);
        expect(canonicalBase64(canonical.slice(0, -1), 0, 43, 32)).toBe(canonical);
        // Unused low bits set in the last data character: the same bytes, so the same canonical text.
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
        const last = alphabet[alphabet.indexOf(canonical[42]!) | bits]!;
        const loose = `${canonical.slice(0, 42)}${last}=`;
        expect(Buffer.from(decodeBase64(loose) ?? [])).toEqual(Buffer.from(bytes));
        expect(canonicalBase64(loose, 0, 44, 32)).toBe(canonical);
        expect(canonicalBase64(canonical, 0, 44, 64)).toBeUndefined();
      }),
      { numRuns: 100 },
    );
    for (const bad of ['!'.repeat(44), `${'A'.repeat(43)}!`, 'A'.repeat(44)]) {
      expect(canonicalBase64(bad, 0, bad.length, 32)).toBeUndefined();
    }
  });

  it('constantTimeEqualText compares equal-length texts', () => {
    expect(constantTimeEqualText('abc', 'abc')).toBe(true);
    expect(constantTimeEqualText('abc', 'abd')).toBe(false);
    expect(constantTimeEqualText('abc', 'abcd')).toBe(false);
  });
});
