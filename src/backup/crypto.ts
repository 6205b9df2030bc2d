import * as openpgp from 'openpgp';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { SEIPD_V1_CIPHERS, SeipdV1EncryptStream } from './seipd-v1.js';
import { peekMessageHead, SeipdV1DecryptStream } from './seipd-v1-decrypt.js';
import { errorMessage } from '../kit/errors.js';

/**
 * OpenPGP with openpgp.js defaults, which stock GnuPG 2.2 reads: SKESK v4 / PKESK v3 + SEIPD v1
 * (AES-256-CFB with an MDC), binary output; optionally ZIP-compressed inside (then pg_dump need not
 * compress: see backup.ts). AEAD (SEIPD v2) stays off on purpose: GnuPG does not implement it.
 */
export type EncryptionMethod = 'passphrase' | 'public-key';

export interface Encryptor {
  method: EncryptionMethod;
  /** Fingerprints of the recipient keys (empty for a passphrase). */
  keyFingerprints: string[];
  /** The deflate level the message is compressed with (OpenPGP ZIP), or undefined: then feed it compressed data. */
  compressionLevel?: number;
  encrypt(plain: Readable, filename: string): Promise<Readable>;
}

export interface Decryptor {
  decrypt(cipher: Readable): Promise<Readable>;
}

const toWeb = (r: Readable) => Readable.toWeb(r) as unknown as openpgp.NodeWebStream<Uint8Array>;
const fromWeb = (s: unknown) => Readable.fromWeb(s as NodeReadableStream<Uint8Array>, { highWaterMark: 4 });

export async function createEncryptor(opts: {
  passphrase?: string;
  publicKey?: string;
  /** Compress inside the message with this deflate level (OpenPGP ZIP), on several threads. */
  compressionLevel?: number;
}): Promise<Encryptor> {
  const compressionLevel = opts.compressionLevel;
  if (opts.publicKey) {
    let key: openpgp.Key;
    try {
      key = await openpgp.readKey({ armoredKey: opts.publicKey });
    } catch (error) {
      throw new Error(`is not an armored OpenPGP public key: ${errorMessage(error)}`);
    }
    if (key.isPrivate()) throw new Error('is a private key; give the public key (gpg --export --armor)');
    const publicKey = key; // narrowed, for the closure below
    try {
      await key.getEncryptionKey();
    } catch (error) {
      throw new Error(`has no usable encryption key: ${errorMessage(error)}`);
    }
    // A key that asks for AEAD gets openpgp.js's own (uncompressed) message: pg_dump must then compress.
    const needsAead =
      (await openpgp.generateSessionKey({ encryptionKeys: publicKey })).aeadAlgorithm !== undefined;
    const level = needsAead ? undefined : compressionLevel;
    return {
      method: 'public-key',
      keyFingerprints: [key.getFingerprint().toUpperCase()],
      compressionLevel: level,
      encrypt: (plain, filename) => encryptStream(plain, filename, { encryptionKeys: publicKey }, level)
    };
  }
  if (!opts.passphrase) throw new Error('needs a passphrase or a public key');
  const passphrase = opts.passphrase;
  return {
    method: 'passphrase',
    keyFingerprints: [],
    compressionLevel,
    encrypt: (plain, filename) =>
      encryptStream(plain, filename, { passwords: [passphrase] }, compressionLevel)
  };
}

type Recipients = { encryptionKeys: openpgp.PublicKey } | { passwords: string[] };

/**
 * openpgp.js picks the session key's cipher from the recipient key's preferences and writes the key packets;
 * the bulk is written by SeipdV1EncryptStream (the packets openpgp.encrypt writes, for far less CPU). A key
 * whose self-signature asks for SEIPD v2 (AEAD; openpgp.js keys made with aeadProtect) is left to openpgp.js.
 */
async function encryptStream(
  plain: Readable,
  filename: string,
  to: Recipients,
  compressionLevel: number | undefined
): Promise<Readable> {
  const sessionKey = await openpgp.generateSessionKey({
    encryptionKeys: 'encryptionKeys' in to ? to.encryptionKeys : []
  });
  if (sessionKey.aeadAlgorithm || !SEIPD_V1_CIPHERS[sessionKey.algorithm]) {
    const message = await openpgp.createMessage({ binary: toWeb(plain), filename });
    return fromWeb(await openpgp.encrypt({ message, ...to, sessionKey, format: 'binary' }));
  }
  const keyPackets = await openpgp.encryptSessionKey({ ...sessionKey, ...to, format: 'binary' });
  const encrypted = new SeipdV1EncryptStream({
    keyPackets,
    sessionKey: sessionKey.data,
    algorithm: sessionKey.algorithm,
    filename,
    compressionLevel
  });
  plain.on('error', error => encrypted.destroy(error));
  return plain.pipe(encrypted);
}

export async function createDecryptor(opts: {
  passphrase?: string;
  privateKey?: string;
  privateKeyPassphrase?: string;
}): Promise<Decryptor> {
  let decryptionKeys: openpgp.PrivateKey | undefined;
  if (opts.privateKey) {
    let key: openpgp.PrivateKey;
    try {
      key = await openpgp.readPrivateKey({ armoredKey: opts.privateKey });
    } catch (error) {
      throw new Error(`private-key is not an armored OpenPGP private key: ${errorMessage(error)}`);
    }
    if (!key.isDecrypted()) {
      if (!opts.privateKeyPassphrase)
        throw new Error('private-key is protected: give private-key-passphrase');
      try {
        key = await openpgp.decryptKey({ privateKey: key, passphrase: opts.privateKeyPassphrase });
      } catch (error) {
        throw new Error(`private-key-passphrase does not unlock private-key: ${errorMessage(error)}`);
      }
    }
    decryptionKeys = key;
  } else if (!opts.passphrase) {
    throw new Error('decrypting needs passphrase, or private-key (+ private-key-passphrase)');
  }
  const unlock = decryptionKeys ? { decryptionKeys } : { passwords: [opts.passphrase!] };
  return {
    async decrypt(cipher) {
      // SEIPD v1 (all we write, and what GnuPG writes) is decrypted by SeipdV1DecryptStream with node's
      // cipher and zlib, openpgp.js only unlocking the session key; anything else goes to openpgp.js whole.
      const head = await peekMessageHead(cipher);
      if (head.seipdVersion === 1) {
        const message = await openpgp.readMessage({ binaryMessage: head.keyPackets });
        const [sessionKey] = await openpgp.decryptSessionKeys({ message, ...unlock });
        const plain = new SeipdV1DecryptStream({
          skip: head.keyPackets.length,
          sessionKey: sessionKey!.data,
          algorithm: sessionKey!.algorithm!
        });
        head.stream.on('error', error => plain.destroy(error));
        plain.on('close', () => head.stream.destroy());
        return head.stream.pipe(plain);
      }
      const message = await openpgp.readMessage({ binaryMessage: toWeb(head.stream) });
      const result = await openpgp.decrypt({
        message,
        format: 'binary',
        ...unlock,
        // SEIPD v1 would otherwise hold the whole plaintext in memory until the MDC is checked. The MDC is
        // still checked at the end (the stream errors); callers hold back the tail until then.
        config: { allowUnauthenticatedStream: true }
      });
      return fromWeb(result.data);
    }
  };
}
