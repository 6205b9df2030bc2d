/**
 * The custom-format archive pg_dump writes (PostgreSQL's src/bin/pg_dump/pg_backup_archiver.c ReadHead/ReadToc
 * and pg_backup_custom.c): a header, the TOC (each entry ending in an offset field: one flag byte and `offSize`
 * bytes, little-endian), then data blocks (type byte, dump id, chunks of int length + bytes, a zero length).
 * Integers are a sign byte and `intSize` bytes, little-endian; strings an integer length (-1: null) and the
 * bytes. Read by the restore's indexer (archive-index.ts) and written by the backup's compressor
 * (archive-compress.ts) through one walker (archive-walker.ts).
 */

export const MAGIC = Buffer.from('PGDMP');
const FORMAT_CUSTOM = 1;
export const BLK_DATA = 1;
export const BLK_BLOBS = 3;
export const OFFSET_NOT_SET = 1;
export const OFFSET_SET = 2;
const OFFSET_NO_DATA = 3;
/** pg_compress_algorithm's PG_COMPRESSION_GZIP, the header's byte from format 1.15 (PostgreSQL 16) on. */
const ALGORITHM_GZIP = 1;

export const archiveVersion = (major: number, minor: number) => (major << 16) | (minor << 8);
/** Format 1.15 (PostgreSQL 16) replaced the header's compression level (an integer) by an algorithm byte. */
const V_ALGORITHM_BYTE = archiveVersion(1, 15);

export class NeedMore extends Error {}

/** Sequential reads over a buffer that may end too early (NeedMore: wait for more bytes). */
class Cursor {
  at = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly intSize = 4
  ) {}
  byte(): number {
    if (this.at >= this.buf.length) throw new NeedMore();
    return this.buf[this.at++]!;
  }
  int(): number {
    const sign = this.byte();
    let v = 0;
    for (let i = 0; i < this.intSize; i++) v += this.byte() * 2 ** (8 * i);
    return sign ? -v : v;
  }
  skip(n: number): void {
    if (this.at + n > this.buf.length) throw new NeedMore();
    this.at += n;
  }
  str(): string | null {
    const n = this.int();
    if (n < 0) return null;
    const start = this.at;
    this.skip(n);
    return this.buf.toString('utf8', start, start + n);
  }
}

export interface ArchiveHead {
  version: number;
  intSize: number;
  offSize: number;
  /** The archive's data is compressed (zlib streams in its data blocks). */
  compressed: boolean;
  /** Where the header's compression field is (an integer before format 1.15, one byte since). */
  compressionAt: number;
  /** Where each entry with data has its offset flag byte. */
  dataEntries: Map<number, number>;
  /** Bytes of header and TOC. */
  length: number;
}

/**
 * Header and TOC, or undefined when `buf` is not a custom archive this parser reads (another format, or one
 * older than format 1.12); throws NeedMore when `buf` ends before the TOC does.
 */
export function parseArchiveHead(buf: Buffer): ArchiveHead | undefined {
  const c = new Cursor(buf, 4);
  c.skip(MAGIC.length);
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const major = c.byte();
  const minor = c.byte();
  c.byte(); // revision
  const v = archiveVersion(major, minor);
  if (major !== 1 || v < archiveVersion(1, 12)) return undefined;
  const intSize = c.byte();
  const offSize = c.byte();
  if (c.byte() !== FORMAT_CUSTOM || intSize < 1 || intSize > 8 || offSize < 1 || offSize > 8)
    return undefined;
  const r = new Cursor(buf, intSize);
  r.at = c.at;
  const compressionAt = r.at;
  const compressed = v >= V_ALGORITHM_BYTE ? r.byte() !== 0 : r.int() !== 0;
  for (let i = 0; i < 7; i++) r.int(); // creation time
  r.str(); // database name
  r.str(); // server version
  r.str(); // pg_dump version
  const count = r.int();
  const dataEntries = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const dumpId = r.int();
    r.int(); // had a data dumper
    r.str(); // table oid
    r.str(); // oid
    r.str(); // tag
    r.str(); // desc
    r.int(); // section
    r.str(); // definition
    r.str(); // drop statement
    r.str(); // copy statement
    r.str(); // namespace
    r.str(); // tablespace
    if (v >= archiveVersion(1, 14)) r.str(); // table access method
    if (v >= archiveVersion(1, 16)) r.int(); // relkind
    r.str(); // owner
    r.str(); // with oids ("false")
    while (r.str() !== null); // dependencies, ended by a null string
    const flagAt = r.at;
    const flag = r.byte();
    r.skip(offSize);
    if (flag === OFFSET_NOT_SET || flag === OFFSET_SET) dataEntries.set(dumpId, flagAt);
    else if (flag !== OFFSET_NO_DATA) return undefined;
  }
  return { version: v, intSize, offSize, compressed, compressionAt, dataEntries, length: r.at };
}

/** `value` as the archive writes an integer: a sign byte, then `intSize` bytes, little-endian. */
export function encodeArchiveInt(value: number, intSize: number): Buffer {
  const b = Buffer.alloc(1 + intSize);
  b[0] = value < 0 ? 1 : 0;
  let v = Math.abs(value);
  for (let i = 1; i <= intSize; i++) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return b;
}

/**
 * A copy of the header and TOC `bytes` that says its data is compressed with zlib (what `pg_dump -Z 6` writes:
 * the level 6 before format 1.15, the gzip algorithm since), or not at all (0, both). The field keeps its width,
 * so nothing moves.
 */
export function markCompression(bytes: Buffer, head: ArchiveHead, compression: 'zlib' | 'none'): Buffer {
  const copy = Buffer.from(bytes);
  const zlib = compression === 'zlib';
  if (head.version >= V_ALGORITHM_BYTE) copy[head.compressionAt] = zlib ? ALGORITHM_GZIP : 0;
  else encodeArchiveInt(zlib ? 6 : 0, head.intSize).copy(copy, head.compressionAt);
  return copy;
}
