// Our SEIPD v1 writer against the two readers that matter: openpgp.js (our restore) and stock GnuPG 2.2
// (the runbook). Sizes straddle every framing boundary: empty, below and at the 512-octet first partial,
// one-octet and two-octet final lengths, several partials, pieces split across input chunks.
import { describe, expect, test } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import * as openpgp from 'openpgp';
import { createDecryptor, createEncryptor } from '../../src/backup/crypto.js';
import { definiteLength, PartialBodyWriter } from '../../src/backup/packet-framing.js';
import { generateKey, gpgHome } from './helpers.js';

const PASSPHRASE = 'correct horse battery staple';

async function collect(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** `data` in chunks of the given sizes (cycled), as pg_dump's pipe reads would come. */
function chunked(data: Buffer, sizes: number[]): Readable {
  const parts: Buffer[] = [];
  for (let at = 0, i = 0; at < data.length; i++) {
    const n = sizes[i % sizes.length]!;
    parts.push(data.subarray(at, at + n));
    at += n;
  }
  return Readable.from(parts, { objectMode: false });
}

/** Parses new-format packets of a whole message: tag and reassembled body, checking every partial length. */
function packets(msg: Buffer): { tag: number; body: Buffer; partials: number[] }[] {
  const out: { tag: number; body: Buffer; partials: number[] }[] = [];
  let at = 0;
  while (at < msg.length) {
    const head = msg[at++]!;
    expect(head & 0xc0).toBe(0xc0);
    const pieces: Buffer[] = [];
    const partials: number[] = [];
    for (;;) {
      const l = msg[at++]!;
      if (l >= 224 && l < 255) {
        const n = 2 ** (l & 0x1f);
        partials.push(n);
        pieces.push(msg.subarray(at, at + n));
        at += n;
        continue;
      }
      let n: number;
      if (l < 192) n = l;
      else if (l < 224) n = ((l - 192) << 8) + msg[at++]! + 192;
      else {
        n = msg.readUInt32BE(at);
        at += 4;
      }
      pieces.push(msg.subarray(at, at + n));
      at += n;
      break;
    }
    out.push({ tag: head & 0x3f, body: Buffer.concat(pieces), partials });
  }
  return out;
}

describe('packet framing', () => {
  test.each([
    [0, '00'],
    [191, 'bf'],
    [192, 'c000'],
    [8383, 'dfff'],
    [8384, 'ff000020c0'],
    [2 ** 32 - 1, 'ffffffffff']
  ])('a regular length of %i is %s', (n, hex) => {
    expect(definiteLength(n).toString('hex')).toBe(hex);
  });

  test.each([[[0]], [[1]], [[511]], [[512]], [[513]], [[65536, 65536, 100]], [[100, 7000, 65436, 1]]])(
    'body written as chunks %j: partials are powers of two >= 512 and the body survives',
    sizes => {
      const data = randomBytes(sizes.reduce((a, b) => a + b, 0));
      const w = new PartialBodyWriter();
      const out: Buffer[] = [Buffer.of(0xcb)];
      let at = 0;
      for (const n of sizes) {
        w.write(data.subarray(at, at + n), out);
        at += n;
      }
      w.end(out);
      const [p, ...rest] = packets(Buffer.concat(out));
      expect(rest).toEqual([]);
      expect(p!.body.equals(data)).toBe(true);
      for (const n of p!.partials) {
        expect(n).toBeGreaterThanOrEqual(512);
        expect(Math.log2(n) % 1).toBe(0);
      }
    }
  );
});

describe('SEIPD v1 writer', () => {
  const sizes = [0, 1, 18, 511, 512, 513, 8000, 65536, 3 * 65536 + 7, (1 << 20) + 1];

  test.each(sizes.flatMap(n => [[n, undefined] as const, [n, 6] as const]))(
    '%i bytes, compression level %s: round-trip through openpgp.js and through our streaming decryption',
    async (n, compressionLevel) => {
      const data = randomBytes(n);
      const enc = await createEncryptor({ passphrase: PASSPHRASE, compressionLevel });
      const cipher = await collect(await enc.encrypt(chunked(data, [65536, 4096, 333]), 'x.dump'));

      const tags = packets(cipher).map(p => p.tag);
      expect(tags).toEqual([3, 18]); // SKESK, SEIPD
      expect(packets(cipher)[1]!.body[0]).toBe(1); // version 1

      const message = await openpgp.readMessage({ binaryMessage: cipher });
      const r = await openpgp.decrypt({ message, passwords: [PASSPHRASE], format: 'binary' });
      expect(Buffer.from(r.data as Uint8Array).equals(data)).toBe(true);
      // Our restore path (streaming decrypt, MDC checked at the end), fed in awkward slices.
      const dec = await createDecryptor({ passphrase: PASSPHRASE });
      expect((await collect(await dec.decrypt(chunked(cipher, [1, 7, 100, 65536])))).equals(data)).toBe(true);
    }
  );

  test('compressed: the literal data sits in a ZIP compressed data packet, and compressible data shrinks', async () => {
    const data = Buffer.from('Volunteer 42 serves at the Sunday service. '.repeat(50_000));
    const enc = await createEncryptor({ passphrase: PASSPHRASE, compressionLevel: 6 });
    const cipher = await collect(await enc.encrypt(chunked(data, [65536]), 'x.dump'));
    expect(cipher.length).toBeLessThan(data.length / 20);
    const message = await openpgp.readMessage({ binaryMessage: cipher });
    const decrypted = await message.decrypt([], [PASSPHRASE]);
    const inner = decrypted.packets.map(p => (p.constructor as unknown as { tag: number }).tag);
    expect(inner).toEqual([8]); // compressed data, holding the literal data packet
    expect((decrypted.packets[0] as unknown as { algorithm: number }).algorithm).toBe(
      openpgp.enums.compression.zip
    );
  });

  test('stock GnuPG 2.2 decrypts it and reports a good MDC; the literal packet carries the filename', async () => {
    const g = gpgHome();
    for (const [n, compressionLevel] of [
      [0, undefined],
      [600, undefined],
      [(1 << 20) + 12345, undefined],
      [0, 6],
      [3 * (1 << 20) + 5, 6]
    ] as const) {
      const data =
        n > 1000 ? Buffer.concat([randomBytes(n >> 1), Buffer.alloc(n - (n >> 1), 'pg')]) : randomBytes(n);
      const enc = await createEncryptor({ passphrase: PASSPHRASE, compressionLevel });
      const file = join(g.home, `m${n}-${compressionLevel ?? 'none'}.pgp`);
      writeFileSync(file, await collect(await enc.encrypt(chunked(data, [65536, 777]), `backup-${n}.dump`)));
      const out = `${file}.out`;
      await g.run([
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        PASSPHRASE,
        '--status-file',
        join(g.home, 'status'),
        '--output',
        out,
        '--decrypt',
        file
      ]);
      const status = readFileSync(join(g.home, 'status'), 'utf8');
      expect(status).toMatch(/GOODMDC/);
      expect(status).toMatch(/DECRYPTION_OKAY/);
      expect(status).toMatch(new RegExp(`PLAINTEXT 62 \\d+ backup-${n}\\.dump`));
      const got = readFileSync(out);
      expect(createHash('sha256').update(got).digest('hex')).toBe(
        createHash('sha256').update(data).digest('hex')
      );
    }
  });

  test('one flipped ciphertext byte fails the MDC in openpgp.js and in gpg', async () => {
    const data = randomBytes(200_000);
    const enc = await createEncryptor({ passphrase: PASSPHRASE });
    const cipher = await collect(await enc.encrypt(chunked(data, [65536]), 'x.dump'));
    cipher[cipher.length - 5000]! ^= 0x01;

    const message = await openpgp.readMessage({ binaryMessage: cipher });
    await expect(openpgp.decrypt({ message, passwords: [PASSPHRASE], format: 'binary' })).rejects.toThrow(
      /Modification detected/
    );
    const g = gpgHome();
    const file = join(g.home, 'bad.pgp');
    writeFileSync(file, cipher);
    await expect(
      g.run([
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        PASSPHRASE,
        '--output',
        '/dev/null',
        '--decrypt',
        file
      ])
    ).rejects.toThrow(/manipulated/);
  });

  test("a GnuPG key gets a PKESK v3 for the key's preferred cipher, which gpg and our restore decrypt", async () => {
    const key = await generateKey('seipd@example.org', 'key-pass');
    const data = randomBytes(300_000);
    const enc = await createEncryptor({ publicKey: key.publicKey, compressionLevel: 6 });
    expect(enc.compressionLevel).toBe(6);
    const cipher = await collect(await enc.encrypt(chunked(data, [65536, 1000]), 'x.dump'));
    expect(packets(cipher).map(p => p.tag)).toEqual([1, 18]); // PKESK, SEIPD
    const file = join(key.gpg.home, 'k.pgp');
    writeFileSync(file, cipher);
    const out = join(key.gpg.home, 'k.out');
    await key.gpg.run([
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      'key-pass',
      '--output',
      out,
      '--decrypt',
      file
    ]);
    const got = readFileSync(out);
    expect(got.equals(data)).toBe(true);
    const dec = await createDecryptor({ privateKey: key.privateKey, privateKeyPassphrase: 'key-pass' });
    expect((await collect(await dec.decrypt(Readable.from([cipher])))).equals(data)).toBe(true);
  });

  test.each([
    ['an openpgp.js v4 key', {}],
    ['an openpgp.js v6 key', { v6Keys: true }],
    ['a key that asks for AEAD', { aeadProtect: true }],
    ['a v6 key that asks for AEAD', { v6Keys: true, aeadProtect: true }]
  ])('%s gets the packet versions openpgp.encrypt would write, and decrypts', async (_what, config) => {
    const { publicKey, privateKey } = await openpgp.generateKey({
      type: 'curve25519',
      userIDs: [{ email: 'k@example.org' }],
      config
    });
    const versions = (m: Buffer) => packets(m).map(p => `${p.tag}v${p.body[0]}`);
    const data = randomBytes(100_000);
    const enc = await createEncryptor({ publicKey, compressionLevel: 6 });
    // openpgp.js writes an AEAD key's message itself, uncompressed: then pg_dump must compress.
    expect(enc.compressionLevel).toBe('aeadProtect' in config ? undefined : 6);
    const cipher = await collect(await enc.encrypt(chunked(data, [65536]), 'x.dump'));
    const theirs = Buffer.from(
      await openpgp.encrypt({
        message: await openpgp.createMessage({ binary: data }),
        encryptionKeys: await openpgp.readKey({ armoredKey: publicKey }),
        format: 'binary'
      })
    );
    expect(versions(cipher)).toEqual(versions(theirs));
    const dec = await createDecryptor({ privateKey });
    expect((await collect(await dec.decrypt(Readable.from([cipher])))).equals(data)).toBe(true);
  });

  describe('our streaming decryption', () => {
    const decryptAll = async (cipher: Buffer, passphrase = PASSPHRASE) =>
      collect(await (await createDecryptor({ passphrase })).decrypt(chunked(cipher, [4096, 65536])));

    test.each([
      ['gpg --symmetric (ZLIB compressed, old-format key packet)', ['--compress-algo', 'zlib']],
      ['gpg --symmetric -z 0 (uncompressed)', ['-z', '0']],
      ['gpg --symmetric --compress-algo zip', ['--compress-algo', 'zip']]
    ])('reads what %s writes', async (_what, flags) => {
      const g = gpgHome();
      const data = Buffer.concat([randomBytes(200_000), Buffer.alloc(300_000, 'x')]);
      const plainFile = join(g.home, 'plain');
      writeFileSync(plainFile, data);
      const out = join(g.home, 'msg.gpg');
      await g.run([
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        PASSPHRASE,
        '--symmetric',
        '--cipher-algo',
        'AES256',
        ...flags,
        '--output',
        out,
        plainFile
      ]);
      expect((await decryptAll(readFileSync(out))).equals(data)).toBe(true);
    });

    test('a small message that arrives as one chunk of an already ended stream (a small backup from S3)', async () => {
      const data = Buffer.from('tiny archive');
      for (const compressionLevel of [undefined, 6]) {
        const enc = await createEncryptor({ passphrase: PASSPHRASE, compressionLevel });
        const cipher = await collect(await enc.encrypt(chunked(data, [65536]), 'x.dump'));
        const source = new PassThrough();
        source.end(cipher);
        const dec = await createDecryptor({ passphrase: PASSPHRASE });
        expect((await collect(await dec.decrypt(source))).equals(data)).toBe(true);
        const file = join(gpgHome().home, 'small.pgp');
        writeFileSync(file, cipher);
        expect((await collect(await dec.decrypt(createReadStream(file)))).equals(data)).toBe(true);
      }
    });

    test('no single flipped byte anywhere in a message goes unnoticed (60 random positions)', async () => {
      const data = Buffer.concat([randomBytes(3000), Buffer.alloc(5000, 'v')]);
      const enc = await createEncryptor({ passphrase: PASSPHRASE, compressionLevel: 6 });
      const cipher = await collect(await enc.encrypt(chunked(data, [65536]), 'x.dump'));
      for (let i = 0; i < 60; i++) {
        const bad = Buffer.from(cipher);
        bad[Math.floor(Math.random() * bad.length)]! ^= 1 << (i % 8);
        await expect(decryptAll(bad)).rejects.toThrow();
      }
    });

    test('reads what openpgp.encrypt writes (backups made before the SEIPD writer)', async () => {
      const data = randomBytes(300_000);
      const cipher = Buffer.from(
        await openpgp.encrypt({
          message: await openpgp.createMessage({ binary: data }),
          passwords: [PASSPHRASE],
          format: 'binary'
        })
      );
      expect((await decryptAll(cipher)).equals(data)).toBe(true);
    });

    test.each([undefined, 6])(
      'compression %s: a flipped byte, a truncation or a wrong passphrase fails the stream',
      async compressionLevel => {
        const data = Buffer.concat([randomBytes(100_000), Buffer.alloc(400_000, 'v')]);
        const enc = await createEncryptor({ passphrase: PASSPHRASE, compressionLevel });
        const cipher = await collect(await enc.encrypt(chunked(data, [65536]), 'x.dump'));
        // A flip lands in encrypted bytes (MDC, inflate) or, now and then, in an outer length octet, which is
        // plaintext: then the packet's end moves (truncated, or data after it). Every case must fail.
        for (const at of [cipher.length - 30, cipher.length - 10, Math.floor(cipher.length / 2)]) {
          const bad = Buffer.from(cipher);
          bad[at]! ^= 0x04;
          await expect(decryptAll(bad)).rejects.toThrow(
            /Modification detected|damaged|truncated|unexpected data after|unexpected OpenPGP packet/
          );
        }
        await expect(decryptAll(cipher.subarray(0, cipher.length - 100))).rejects.toThrow(/truncated/);
        await expect(decryptAll(cipher, 'not the passphrase')).rejects.toThrow(
          /Session key decryption failed|wrong key or passphrase/
        );
      }
    );
  });

  test('an error in the plaintext stream fails the encrypted stream', async () => {
    const enc = await createEncryptor({ passphrase: PASSPHRASE });
    const plain = new Readable({ read() {} });
    const encrypted = await enc.encrypt(plain, 'x.dump');
    plain.push(randomBytes(70_000));
    setImmediate(() => plain.destroy(new Error('pg_dump exited with code 1')));
    await expect(collect(encrypted)).rejects.toThrow('pg_dump exited with code 1');
  });
});
