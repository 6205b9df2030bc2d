// The parallel deflate must be one valid raw deflate stream whatever the chunking, and as small as a serial
// stream of the same level (each chunk is primed with the previous 32 KiB).
import { describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ParallelDeflate } from '../../src/backup/parallel-deflate.js';

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

async function compress(data: Buffer, writes: number[], chunkBytes: number, parallel: number) {
  const d = new ParallelDeflate(6, chunkBytes, parallel);
  const out: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = writes[i % writes.length]!;
    out.push(...(await d.write(data.subarray(at, at + n))));
    at += n;
  }
  out.push(...(await d.end()));
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
});
