/** Older complete backups in a storage prefix (archive + manifest, what retention reads), and DESIGN.md's rule. */
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Server } from '../rgw.js';

export const backupIdOf = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** 45 daily backups before today and one mid-month backup for each of the 14 months before those. */
export function olderBackupIds(now = new Date()): string[] {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  return [
    ...Array.from({ length: 45 }, (_, i) => backupIdOf(new Date(Date.UTC(y, m, d - i - 1, 2)))),
    ...Array.from({ length: 14 }, (_, i) => backupIdOf(new Date(Date.UTC(y, m - i - 2, 15, 2))))
  ];
}

export async function seedBackups(s3: S3Server, prefix: string, ids: string[]): Promise<void> {
  const client = s3.client();
  for (const id of ids) {
    const objectKey = `${prefix}/${id}.dump.pgp`;
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: objectKey, Body: 'seeded' }));
    const manifest = {
      version: 1,
      id,
      startedAt: id,
      completedAt: id,
      database: 'signupflow',
      format: 'pg_dump-custom',
      objectKey,
      sizeBytes: 6,
      sha256: '0'.repeat(64),
      encryption: { method: 'public-key', keyFingerprints: [] }
    };
    await client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/${id}.json`, Body: JSON.stringify(manifest) })
    );
  }
}

export async function storedBackupIds(s3: S3Server, prefix: string): Promise<string[]> {
  const out = await s3.client().send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/` }));
  return (out.Contents ?? [])
    .map(o => /\/([^/]+)\.json$/.exec(o.Key!)?.[1])
    .filter((x): x is string => !!x)
    .sort();
}

/** DESIGN.md's retention, written out independently of src/backup: newest of the N latest days and M latest months. */
export function expectedKept(ids: string[], keepDaily: number, keepMonthly: number): string[] {
  const sorted = [...ids].sort();
  const newestBy = (key: (id: string) => string, n: number) => {
    const groups = new Map<string, string>();
    for (const id of [...sorted].reverse()) if (!groups.has(key(id))) groups.set(key(id), id);
    return [...groups.values()].slice(0, n);
  };
  const keep = new Set([
    ...newestBy(id => id.slice(0, 8), keepDaily),
    ...newestBy(id => id.slice(0, 6), keepMonthly),
    sorted.at(-1)!
  ]);
  return [...keep].sort();
}
