// CfbDecipher must give exactly node's (OpenSSL's) CFB-128 plaintext, whatever the chunking: chunks that end
// inside a block, one-byte chunks, chunks at odd memory offsets (views into a larger buffer, as the packet
// framing hands it pieces), and every AES key size.
import { describe, expect, test } from '@jest/globals';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CfbDecipher } from '../../src/backup/cfb-decipher.js';

const SUITES = [
  { cfb: 'aes-128-cfb', ecb: 'aes-128-ecb', keyBytes: 16 },
  { cfb: 'aes-192-cfb', ecb: 'aes-192-ecb', keyBytes: 24 },
  { cfb: 'aes-256-cfb', ecb: 'aes-256-ecb', keyBytes: 32 }
];

/** `data` cut into pieces of the given sizes (cycled), each a view at `offset` into a buffer of its own. */
function pieces(data: Buffer, sizes: number[], offset: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < data.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, data.length - at);
    const backing = Buffer.alloc(n + offset + 5, 0xaa);
    data.copy(backing, offset, at, at + n);
    out.push(backing.subarray(offset, offset + n));
    at += n;
  }
  return out;
}

const CASES: Array<{ name: string; bytes: number; sizes: number[]; offset: number }> = [
  { name: 'empty', bytes: 0, sizes: [1], offset: 0 },
  { name: 'less than a block', bytes: 7, sizes: [7], offset: 0 },
  { name: 'one block', bytes: 16, sizes: [16], offset: 0 },
  { name: 'a block and one byte', bytes: 17, sizes: [17], offset: 1 },
  { name: 'one byte at a time', bytes: 100, sizes: [1], offset: 3 },
  { name: 'chunks ending inside blocks', bytes: 5000, sizes: [5, 27, 16, 1, 300, 15], offset: 2 },
  { name: 'block-aligned chunks', bytes: 64 << 10, sizes: [4096], offset: 0 },
  {
    name: 'large odd chunks at odd offsets',
    bytes: (3 << 20) + 11,
    sizes: [(1 << 20) + 3, 65_537],
    offset: 1
  },
  { name: 'a short chunk inside a block, then more', bytes: 4096, sizes: [3, 4, 2000, 9], offset: 3 }
];

describe('CfbDecipher', () => {
  for (const suite of SUITES)
    for (const c of CASES)
      test(`${suite.cfb}: ${c.name}`, () => {
        const key = randomBytes(suite.keyBytes);
        const iv = randomBytes(16);
        const plain = randomBytes(c.bytes);
        const encryptor = createCipheriv(suite.cfb, key, iv);
        const cipher = Buffer.concat([encryptor.update(plain), encryptor.final()]);
        const ours = new CfbDecipher(suite.ecb, key, iv);
        const got = Buffer.concat(pieces(cipher, c.sizes, c.offset).flatMap(p => ours.update(p)));
        const reference = createDecipheriv(suite.cfb, key, iv).update(cipher);
        expect(got.equals(reference)).toBe(true);
        expect(got.equals(plain)).toBe(true);
      });

  test('a changed ciphertext byte changes its own plaintext byte and the whole next block, as CFB does', () => {
    const key = randomBytes(32);
    const iv = Buffer.alloc(16);
    const plain = randomBytes(64);
    const cipher = createCipheriv('aes-256-cfb', key, iv).update(plain);
    cipher[20]! ^= 0x01;
    const got = Buffer.concat(new CfbDecipher('aes-256-ecb', key, iv).update(cipher));
    expect(got[20]).toBe(plain[20]! ^ 0x01);
    expect(got.subarray(0, 20).equals(plain.subarray(0, 20))).toBe(true);
    expect(got.subarray(32, 48).equals(plain.subarray(32, 48))).toBe(false);
    expect(got.subarray(48).equals(plain.subarray(48))).toBe(true);
  });

  test('refuses an IV that is not one block', () => {
    expect(() => new CfbDecipher('aes-256-ecb', randomBytes(32), Buffer.alloc(8))).toThrow(
      'CFB needs a 16-byte IV, got 8'
    );
  });
});
