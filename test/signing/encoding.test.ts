// The portable codecs run only where Buffer is absent (edge runtimes); here they are held to Node's own codecs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, decodeBase64, decodeHex, portable } from '../../src/signing/encoding.js';

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

describe('constantTimeEqual', () => {
  it('is byte equality', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false);
  });
});
