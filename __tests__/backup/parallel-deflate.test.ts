// The parallel deflate must be one valid raw deflate stream whatever the chunking, and as small as a serial
// stream of the same level (each chunk is primed with the previous 32 KiB).
import { describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { deflateRawSync, deflateSync, inflateRawSync, inflateSync } from 'node:zlib';
import { adler32Combine, OrderedOutput, ParallelDeflate } from '../../src/backup/parallel-deflate.js';

/** Compressible text with some incompressible stretches, like a pg_dump archive. */
function sample(bytes: number): Buffer {
  const parts: Buffer[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const p =
      i % 7 === 0
        ? randomBytes(300)
        : Buffer.from(`${i}\tVolunteer ${i % 997}\tv${i}@example.org\t{"shift": ${i % 7}}\tSunday service\n`);
    parts.push(p);
    n += p.length;
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

async function compress(
  data: Buffer,
  writes: number[],
  chunkBytes: number,
  parallel: number,
  framing: 'raw' | 'zlib' = 'raw'
) {
  const d = new ParallelDeflate({ level: 6, chunkBytes, framing });
  const pending = new OrderedOutput();
  const out: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = writes[i % writes.length]!;
    pending.add(d.write(data, at, Math.min(at + n, data.length)));
    out.push(...(await pending.take(parallel - 1)));
    at += n;
  }
  pending.add(d.end());
  out.push(...(await pending.take(0)));
  return Buffer.concat(out);
}

describe('ParallelDeflate', () => {
  test.each([
    [0, [1], 65536, 4],
    [1, [1], 65536, 4],
    [65535, [65536], 65536, 2],
    [65536, [65536], 65536, 2],
    [65537, [4096], 65536, 3],
    [10_000, [7], 1024, 4], // chunks smaller than the 32 KiB window: the dictionary spans several
    [3_000_000, [65536, 333, 100_000], 256 * 1024, 4],
    [3_000_000, [1 << 20], 1 << 20, 1]
  ])(
    '%i bytes written in slices of %j, chunks of %i, %i in flight: inflates to the input',
    async (n, writes, chunk, parallel) => {
      const data = sample(n);
      const z = await compress(data, writes, chunk, parallel);
      expect(inflateRawSync(z).equals(data)).toBe(true);
    }
  );

  test('is as small as one serial stream of the same level (within 1 %)', async () => {
    const data = sample(8_000_000);
    const parallel = await compress(data, [65536], 1 << 20, 4);
    const serial = deflateRawSync(data, { level: 6 });
    expect(parallel.length / serial.length).toBeLessThan(1.01);
  });

  test('without the dictionary it would be larger: the priming is what keeps the ratio', async () => {
    const data = Buffer.from(
      Array.from({ length: 40_000 }, (_, i) => `${i % 997}\tVolunteer\tSunday service\n`).join('')
    );
    const unprimed = Buffer.concat(
      Array.from({ length: Math.ceil(data.length / 4096) }, (_, i) =>
        deflateRawSync(data.subarray(i * 4096, (i + 1) * 4096), { level: 6 })
      )
    );
    const primed = await compress(data, [4096], 4096, 4);
    expect(primed.length).toBeLessThan(unprimed.length * 0.95);
  });

  // pg_dump's data blocks are zlib streams (RFC 1950): zlib's inflate checks the header and the Adler-32 of the
  // whole stream, which the pieces compute apart and combine.
  test.each([
    [0, [1], 65536],
    [1, [1], 65536],
    [65536, [65536], 65536],
    [200_001, [7, 4096], 65536],
    [3_000_000, [65536, 333, 100_000], 256 * 1024]
  ])(
    'zlib framing: %i bytes in slices of %j, chunks of %i: zlib inflates it, checksum and all',
    async (n, writes, chunk) => {
      const data = sample(n);
      const z = await compress(data, writes, chunk, 4, 'zlib');
      expect(inflateSync(z).equals(data)).toBe(true);
    }
  );

  test('zlib framing: a changed Adler-32 is caught by zlib (the trailer is real, not decoration)', async () => {
    const z = await compress(sample(100_000), [4096], 16384, 4, 'zlib');
    z[z.length - 1]! ^= 1;
    expect(() => inflateSync(z)).toThrow(/incorrect data check/);
  });
});

/** Adler-32 as zlib computes it (the trailer of a stored stream). */
const adler = (b: Buffer) => {
  const z = deflateSync(b, { level: 0 });
  return z.readUInt32BE(z.length - 4);
};

describe('adler32Combine', () => {
  test.each([
    [0, 0],
    [1, 0],
    [0, 1],
    [5, 70_000],
    [100_000, 65_521],
    [65_521 * 3, 1],
    [3, 200_000],
    [1 << 20, (1 << 20) + 17]
  ])('Adler-32 of %i random bytes followed by %i 0xff bytes, from the two parts', (x, y) => {
    const a = randomBytes(x);
    const b = Buffer.alloc(y, 0xff);
    expect(adler32Combine(adler(a), adler(b), y)).toBe(adler(Buffer.concat([a, b])));
  });
});
