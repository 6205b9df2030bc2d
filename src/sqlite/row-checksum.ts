import * as crypto from 'node:crypto';

// crypto.hash (Node 21.7+, so the runner's Node 24) hashes in one call, without a Hash object per row.
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'buffer') => Buffer }).hash;
const md5 = oneShot
  ? (text: string) => oneShot('md5', text, 'buffer')
  : (text: string) => crypto.createHash('md5').update(text, 'utf8').digest();

/**
 * An order-independent checksum of a table: each row's canonical fields are framed (`<bytes>:<text>` or `N`
 * for NULL, joined by `,`), hashed with MD5, and the first 64 bits of each hash, read as a signed integer, are
 * summed exactly. The same framing and sum are computed by PostgreSQL in SQL (`checksumSql`) over the stored
 * rows, so both sides agree only when the same multiset of rows arrived. (A sum, unlike XOR, does not let two
 * equal rows cancel each other out.)
 */
export class RowChecksum {
  private total = 0n;
  rows = 0;

  addRow(canons: (string | null)[]): void {
    let framed = '';
    for (let i = 0; i < canons.length; i++) {
      const c = canons[i];
      if (i > 0) framed += ',';
      framed += c === null || c === undefined ? 'N' : `${Buffer.byteLength(c)}:${c}`;
    }
    const head = md5(framed).readBigInt64BE(0);
    this.total += head;
    this.rows++;
  }

  get value(): string {
    return this.total.toString();
  }
}

/** `count(*)` and the checksum of `table` over the canonical expressions (one per column, in order). */
export function checksumSql(table: string, canonExprs: string[]): string {
  const framed = canonExprs.length
    ? canonExprs.map(e => `coalesce(octet_length(${e})::text || ':' || ${e}, 'N')`).join(` || ',' || `)
    : `''`;
  return (
    `SELECT count(*)::text AS rows, ` +
    `coalesce(sum(('x' || left(md5(${framed}), 16))::bit(64)::bigint::numeric), 0)::text AS checksum ` +
    `FROM ${table}`
  );
}
