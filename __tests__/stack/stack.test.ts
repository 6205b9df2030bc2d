// The local stack itself: each server starts on free ports, serves real clients, and stops leaving no process and
// no directory behind, also when its owner dies without stopping it.
import { describe, expect, test } from '@jest/globals';
import { spawn, execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createServer, type AddressInfo } from 'node:net';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { startPostgres, attachPostgres, queryRows as query } from '../../test-support/postgres.js';
import { startRgw } from '../../test-support/rgw.js';
import { startRegistry } from '../../test-support/registry.js';
import { portSource } from '../../test-support/ports.js';
import { readStackFile, type StackFile } from '../../test-support/stack-file.js';

const execFileP = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');

/** Exists and is not a zombie: what "still running" means here. */
function running(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Processes whose command line mentions `dir` (daemons, watchdogs): none may outlive stop(). */
function processesUsing(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(dir) && running(Number(pid))) found.push(`${pid} ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function eventually(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`still not true after ${timeoutMs} ms: ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('startPostgres', () => {
  test('serves SQL over TCP with password auth, creates and drops databases, stops without a trace', async () => {
    const server = await startPostgres();
    try {
      expect(server.url).toMatch(/^postgresql:\/\/postgres:[0-9a-f]+@127\.0\.0\.1:\d+\/postgres$/);
      expect(server.binDir).toBe(`/usr/lib/postgresql/${server.majorVersion}/bin`);
      const [row] = await query<{ user: string; version: string }>(
        server.url,
        "select current_user as user, current_setting('server_version_num') as version"
      );
      expect(row.user).toBe('postgres');
      expect(Number(row.version)).toBeGreaterThanOrEqual(server.majorVersion * 10000);

      const wrong = server.url.replace(`:${server.password}@`, ':not-the-password@');
      await expect(query(wrong, 'select 1')).rejects.toThrow(/password authentication failed/);

      const url = await server.createDatabase('app test');
      expect(url).toBe(server.urlFor('app test'));
      await query(url, 'create table t (id int); insert into t values (1)');
      expect(await query(url, 'select id from t')).toEqual([{ id: 1 }]);
      await server.dropDatabase('app test');
      await expect(query(url, 'select 1')).rejects.toThrow(/does not exist/);
    } finally {
      await server.stop();
    }
    expect(server.pids.filter(running)).toEqual([]);
    expect(processesUsing(server.dir)).toEqual([]);
    expect(existsSync(server.dir)).toBe(false);
  });

  test('a password with URL-special characters works through the URL', async () => {
    const password = 'p@ss:w/rd%#?& x';
    const server = await startPostgres({ password });
    try {
      expect(server.url).not.toContain(password);
      expect(decodeURIComponent(new URL(server.url).password)).toBe(password);
      expect(await query(server.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await server.stop();
    }
  });
});

describe('startRgw', () => {
  test('serves S3 (put/get/list/delete, multipart), refuses a wrong key, stops mon/osd/rgw without a trace', async () => {
    const server = await startRgw();
    const s3 = server.client();
    try {
      expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.pids).toHaveLength(3);
      const Bucket = server.bucket;

      await s3.send(new PutObjectCommand({ Bucket, Key: 'dir/hello.txt', Body: 'hello, spaces' }));
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'dir/hello.txt' }));
      expect(await got.Body?.transformToString()).toBe('hello, spaces');
      const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'dir/' }));
      expect(listed.Contents?.map(o => o.Key)).toEqual(['dir/hello.txt']);
      await s3.send(new DeleteObjectCommand({ Bucket, Key: 'dir/hello.txt' }));
      expect((await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'dir/' }))).KeyCount).toBe(0);

      // 12 MiB in 5 MiB parts: three parts, the way the backup action uploads.
      const body = randomBytes(12 * 1024 * 1024);
      await new Upload({
        client: s3,
        params: { Bucket, Key: 'big.bin', Body: body },
        partSize: 5 * 1024 * 1024
      }).done();
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'big.bin' }));
      expect(head.ContentLength).toBe(body.length);
      expect(head.ETag).toMatch(/-3"$/);
      const back = await s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin' }));
      const digest = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
      expect(digest(await back.Body!.transformToByteArray())).toBe(digest(body));

      await server.createBucket('second-bucket');
      await server.createBucket('second-bucket'); // already ours: no error

      const intruder = new S3Client({
        endpoint: server.endpoint,
        region: server.region,
        forcePathStyle: true,
        credentials: { accessKeyId: server.accessKeyId, secretAccessKey: 'wrong-secret' }
      });
      await expect(intruder.send(new ListObjectsV2Command({ Bucket }))).rejects.toMatchObject({
        name: 'SignatureDoesNotMatch'
      });
      intruder.destroy();
    } finally {
      s3.destroy();
      await server.stop();
    }
    expect(server.pids.filter(running)).toEqual([]);
    expect(processesUsing(server.dir)).toEqual([]);
    expect(existsSync(server.dir)).toBe(false);
  });
});

describe('startRegistry', () => {
  test('accepts a buildah push with the right credentials only, stops without a trace', async () => {
    const registry = await startRegistry();
    // buildah gets private storage (vfs works everywhere, and other tests' images stay out of the way).
    const work = mkdtempSync(join(tmpdir(), 'stack-test-buildah-'));
    const buildah = (...args: string[]) =>
      execFileP('buildah', [
        '--root',
        join(work, 'root'),
        '--runroot',
        join(work, 'run'),
        '--storage-driver',
        'vfs',
        ...args
      ]);
    try {
      writeFileSync(join(work, 'hello.txt'), 'hello from scratch\n');
      writeFileSync(join(work, 'Containerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
      await buildah(
        'build',
        '--tls-verify=false',
        '-t',
        'localhost/stack-test:1',
        '-f',
        join(work, 'Containerfile'),
        work
      );
      const ref = `docker://${registry.host}/stack/test:1`;

      await expect(
        buildah(
          'push',
          '--creds',
          `${registry.username}:wrong`,
          '--tls-verify=false',
          'localhost/stack-test:1',
          ref
        )
      ).rejects.toThrow(/unauthorized|authentication required/i);

      await buildah(
        'push',
        '--creds',
        `${registry.username}:${registry.password}`,
        '--tls-verify=false',
        'localhost/stack-test:1',
        ref
      );
      const auth = 'Basic ' + Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
      const tags = await fetch(`${registry.url}/v2/stack/test/tags/list`, {
        headers: { authorization: auth }
      });
      expect(await tags.json()).toEqual({ name: 'stack/test', tags: ['1'] });
      expect((await fetch(`${registry.url}/v2/stack/test/tags/list`)).status).toBe(401);
    } finally {
      rmSync(work, { recursive: true, force: true });
      await registry.stop();
    }
    expect(registry.pids.filter(running)).toEqual([]);
    expect(processesUsing(registry.dir)).toEqual([]);
    expect(existsSync(registry.dir)).toBe(false);
  });
});

describe('cleanup when the owner dies without stop()', () => {
  const startAndDie = (how: 'exit' | 'hang') =>
    new Promise<{ child: ReturnType<typeof spawn>; pids: number[]; dirs: string[] }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(here, 'fixtures', 'start-and-die.ts'), how],
        {
          cwd: repo,
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, NODE_OPTIONS: '' }
        }
      );
      let out = '';
      child.stdout!.on('data', d => {
        out += String(d);
        if (out.includes('\n'))
          resolve({ child, ...(JSON.parse(out) as { pids: number[]; dirs: string[] }) });
      });
      child.once('exit', code =>
        out.includes('\n') ? undefined : reject(new Error(`fixture exited ${code}`))
      );
    });

  test('process.exit: the exit handler kills the daemons and removes their dirs', async () => {
    const { pids, dirs } = await startAndDie('exit');
    expect(pids).toHaveLength(2);
    await eventually(
      () => pids.every(p => !running(p)) && dirs.every(d => !existsSync(d)),
      'daemons and dirs gone'
    );
  });

  test('SIGKILL: the watchdog kills the daemons and removes their dirs', async () => {
    const { child, pids, dirs } = await startAndDie('hang');
    expect(pids.every(running)).toBe(true);
    child.kill('SIGKILL');
    await eventually(
      () => pids.every(p => !running(p)) && dirs.every(d => !existsSync(d)),
      'daemons and dirs gone'
    );
  });
});

describe('stack-cli and the stack file', () => {
  test('start writes the file, handles attach to it, SIGTERM stops everything and removes the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-test-cli-'));
    const file = join(dir, 'stack.json');
    const cli = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repo, 'test-support', 'stack-cli.ts'),
        'start',
        '--json',
        file,
        '--only',
        'postgres,registry'
      ],
      { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } }
    );
    let log = '';
    cli.stderr!.on('data', d => (log += String(d)));
    const exited = new Promise<number | null>(r => cli.once('exit', code => r(code)));
    try {
      await eventually(() => existsSync(file) || cli.exitCode !== null, `stack file (log: ${log})`, 60_000);
      const stack = readStackFile(file) as StackFile;
      expect(stack.ownerPid).toBe(cli.pid);
      expect(stack.s3).toBeUndefined();
      expect(stack.registry?.host).toMatch(/^127\.0\.0\.1:\d+$/);

      const postgres = attachPostgres(stack.postgres!);
      const url = await postgres.createDatabase('attached');
      expect(await query(url, 'select current_database() as db')).toEqual([{ db: 'attached' }]);
      await postgres.stop(); // not the owner: a no-op
      expect(stack.postgres!.pids.every(running)).toBe(true);

      const pids = [...stack.postgres!.pids, ...stack.registry!.pids];
      cli.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(pids.filter(running)).toEqual([]);
      expect([...processesUsing(stack.postgres!.dir), ...processesUsing(stack.registry!.dir)]).toEqual([]);
      expect(existsSync(stack.postgres!.dir) || existsSync(stack.registry!.dir)).toBe(false);
      expect(existsSync(file)).toBe(false);
      expect(() => readStackFile(file)).toThrow(/cannot read the stack file/);
    } finally {
      cli.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a stack file whose owner is gone is refused with a clear message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-test-file-'));
    try {
      const file = join(dir, 'stack.json');
      writeFileSync(file, JSON.stringify({ version: 1, ownerPid: 2 ** 22 + 1 }));
      expect(() => readStackFile(file)).toThrow(/stack-cli process 4194305 that started it is gone/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a port taken between choosing and binding', () => {
  // The first port handed out (PostgreSQL's, the registry's, Ceph's mon port, or with `skip` 1 radosgw's S3 port)
  // is one another process is listening on: the start must fail fast on it and succeed with new ports.
  async function withTakenPort<T>(skip: number, start: () => Promise<T & { stop(): Promise<void> }>) {
    const blocker = createServer();
    await new Promise<void>(r => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as AddressInfo).port;
    const original = portSource.next;
    let calls = 0;
    portSource.next = () => (calls++ === skip ? Promise.resolve(taken) : original());
    try {
      const server = await start();
      await server.stop();
      return { server, taken };
    } finally {
      portSource.next = original;
      blocker.close();
    }
  }

  test('postgres retries on new ports', async () => {
    const { server, taken } = await withTakenPort(0, () => startPostgres());
    expect(server.port).not.toBe(taken);
  });

  test('registry retries on new ports', async () => {
    const { server, taken } = await withTakenPort(0, () => startRegistry());
    expect(server.host).not.toBe(`127.0.0.1:${taken}`);
  });

  test('rgw retries when the mon port is taken', async () => {
    const { server } = await withTakenPort(0, () => startRgw());
    expect(existsSync(server.dir)).toBe(false);
  });

  test('rgw retries when the S3 port is taken', async () => {
    const { server, taken } = await withTakenPort(1, () => startRgw());
    expect(server.endpoint).not.toBe(`http://127.0.0.1:${taken}`);
  });
});
