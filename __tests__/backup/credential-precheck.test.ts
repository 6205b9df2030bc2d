// backup checks every credential it needs before pg_dump starts: S3 keys, bucket and write access (against RGW),
// the database login. Each wrong one is one clear line at the start, and nothing is left on the server.
// Also: a local run (the CLI under the machine's Node 20) prints no AWS SDK Node-version warning.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand
} from '@aws-sdk/client-s3';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sharedPostgres, sharedS3, type PostgresServer, type S3Server } from '../../test-support/shared.js';
import { runAction, type ActionResult } from '../../test-support/action-process.js';
import { repoRoot } from '../../bin/run-bundle.js';
import { seed } from './helpers.js';

const PASSPHRASE = `precheck-${randomBytes(8).toString('hex')}`;
const DB = `bk_precheck_${process.pid}`;
const READ_ONLY_BUCKET = `precheck-ro-${randomBytes(3).toString('hex')}`;
let pgServer: PostgresServer;
let s3: S3Server;
let sourceUrl: string;

afterAll(async () => {
  await pgServer?.dropDatabase(DB).catch(() => undefined);
  const client = s3?.client();
  await client?.send(new DeleteBucketPolicyCommand({ Bucket: READ_ONLY_BUCKET })).catch(() => undefined);
  await client?.send(new DeleteBucketCommand({ Bucket: READ_ONLY_BUCKET })).catch(() => undefined);
});

beforeAll(async () => {
  [pgServer, s3] = await Promise.all([sharedPostgres(), sharedS3()]);
  sourceUrl = await pgServer.createDatabase(DB);
  await seed(sourceUrl, { volunteers: 20 });
}, 180_000);

const prefixFor = (label: string) => `precheck/${label}-${randomBytes(3).toString('hex')}`;

function inputs(prefix: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    mode: 'backup',
    'database-url': sourceUrl,
    passphrase: PASSPHRASE,
    prune: 'false',
    'storage-url': `s3://${s3.bucket}/${prefix}`,
    's3-endpoint': s3.endpoint,
    's3-region': s3.region,
    's3-access-key-id': s3.accessKeyId,
    's3-secret-access-key': s3.secretAccessKey,
    's3-force-path-style': 'true',
    ...overrides
  };
}

const errorLines = (r: ActionResult) => r.stdout.split('\n').filter(l => l.startsWith('::error::'));

async function leftUnder(bucket: string, prefix: string): Promise<string[]> {
  const client = s3.client();
  const objects = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
  return [
    ...(objects.Contents ?? []).map(o => o.Key!),
    ...(uploads.Uploads ?? []).map(u => `upload ${u.Key}`)
  ];
}

/** pg_dump never started: the action logs the line naming pg_dump just before it spawns it. */
const dumpStarted = (r: ActionResult) => /with \S*pg_dump/.test(r.stdout);

describe('a wrong credential is one clear line before pg_dump starts', () => {
  test('a wrong S3 secret: the server says SignatureDoesNotMatch, the line names the inputs to fix', async () => {
    const prefix = prefixFor('secret');
    const r = await runAction(
      'backup',
      inputs(prefix, { 's3-secret-access-key': `wrong-${randomBytes(12).toString('hex')}` })
    );
    expect(r.code).toBe(1);
    const errors = errorLines(r);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error::S3 access check failed before the backup started: ListObjectsV2 s3:\/\/.+ failed: HTTP 403 SignatureDoesNotMatch \(request id .+\); check s3-access-key-id, s3-secret-access-key/
    );
    expect(dumpStarted(r)).toBe(false);
    expect(await leftUnder(s3.bucket, prefix)).toEqual([]);
  });

  test('an unknown access key id: InvalidAccessKeyId', async () => {
    const prefix = prefixFor('keyid');
    const r = await runAction('backup', inputs(prefix, { 's3-access-key-id': 'AKIANOSUCHKEY0000000' }));
    expect(r.code).toBe(1);
    expect(errorLines(r)).toEqual([
      expect.stringMatching(/S3 access check failed .* HTTP 403 InvalidAccessKeyId/)
    ]);
    expect(dumpStarted(r)).toBe(false);
  });

  test('a bucket the key may read but not write: AccessDenied on CreateMultipartUpload, nothing left', async () => {
    const client = s3.client();
    await client.send(new CreateBucketCommand({ Bucket: READ_ONLY_BUCKET }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${READ_ONLY_BUCKET}/*`
        }
      ]
    };
    await client.send(
      new PutBucketPolicyCommand({ Bucket: READ_ONLY_BUCKET, Policy: JSON.stringify(policy) })
    );
    const prefix = prefixFor('readonly');
    const r = await runAction(
      'backup',
      inputs(prefix, { 'storage-url': `s3://${READ_ONLY_BUCKET}/${prefix}` })
    );
    expect(r.code).toBe(1);
    expect(errorLines(r)).toEqual([
      expect.stringMatching(
        /S3 access check failed before the backup started: CreateMultipartUpload .* HTTP 403 AccessDenied/
      )
    ]);
    expect(dumpStarted(r)).toBe(false);
    expect(await leftUnder(READ_ONLY_BUCKET, prefix)).toEqual([]);
  });

  test('a wrong database password: one line naming host, database and user; nothing stored', async () => {
    const prefix = prefixFor('dbpass');
    const u = new URL(sourceUrl);
    u.password = `wrong-${randomBytes(8).toString('hex')}`;
    const r = await runAction('backup', inputs(prefix, { 'database-url': u.toString() }));
    expect(r.code).toBe(1);
    const errors = errorLines(r);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/password authentication failed/);
    expect(errors[0]).toContain(u.username);
    expect(dumpStarted(r)).toBe(false);
    expect(await leftUnder(s3.bucket, prefix)).toEqual([]);
  });
});

describe('local runs are quiet', () => {
  // The SDK warns under Node < 22: this machine's node (jest's, which the CLI runs the bundle with) is 20.
  test('a backup through the CLI under the local Node prints no AWS SDK Node-version warning', () => {
    const prefix = prefixFor('cli');
    const args = Object.entries(inputs(prefix)).flatMap(([k, v]) => [`--${k}=${v}`]);
    const r = spawnSync(
      process.execPath,
      [join(repoRoot, 'bin', 'app-platform-pipeline.js'), 'backup', ...args],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR },
        timeout: 120_000
      }
    );
    expect(r.stdout + r.stderr).toMatch(/backup-id/);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK for JavaScript/);
  });
});
