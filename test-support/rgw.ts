// A throw-away single-node Ceph cluster serving S3 through radosgw: the software DigitalOcean Spaces runs on.
// One mon, one OSD (bluestore on a sparse file), no mgr, radosgw (beast) — every port free-chosen, every file in a
// private temp dir, so several clusters can run on one machine at once. Pitfalls handled here are numbered as in
// the team's bring-up notes (shared/tools/rgw/NOTES.md).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort, portIsFree, retryOnPortClash } from './ports.js';
import { Guard, logTail, makeTempDir, run, spawnDaemon, spawned, terminate, waitUntil } from './process.js';

export interface S3Info {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A bucket that exists. */
  bucket: string;
  dir: string;
  /** radosgw, ceph-osd, ceph-mon: the order they must be stopped in. */
  pids: number[];
}

export interface S3Server extends S3Info {
  /** Creates a bucket (no error if this user already owns it). */
  createBucket(name: string): Promise<void>;
  /** An S3 client for this server, set up as Spaces needs it (path style, checksums only when required). */
  client(): S3Client;
  /** Stops radosgw, the OSD and the mon (in that order) and removes the cluster dir; no-op when not owned. */
  stop(): Promise<void>;
}

export interface StartRgwOptions {
  /** bluestore (default; sparse file, small RSS) or memstore (everything stored lives in OSD RAM). */
  store?: 'bluestore' | 'memstore';
  /** Size of the sparse bluestore file / memstore capacity; default 4 GiB. */
  storeBytes?: number;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Bucket to create; default 'test-bucket'. */
  bucket?: string;
}

const DAEMONS = { mon: 'ceph-mon', osd: 'ceph-osd', rgw: 'radosgw' } as const;

export function startRgw(opts: StartRgwOptions = {}): Promise<S3Server> {
  return retryOnPortClash(() => startOnce(opts));
}

async function startOnce(opts: StartRgwOptions): Promise<S3Server> {
  const monPort = await freePort();
  let s3Port = await freePort();
  const dir = makeTempDir('rgw');
  const guard = new Guard(dir);
  const conf = join(dir, 'ceph.conf');
  const log = (name: string): string => join(dir, 'log', `${name}.log`);
  const exits = new Map<keyof typeof DAEMONS, string>();
  const started: Array<{ pid: number; name: string }> = [];
  const launch = async (key: keyof typeof DAEMONS, args: string[]): Promise<void> => {
    const child = spawnDaemon(DAEMONS[key], ['-f', '-c', conf, ...args], { logFile: log(`${key}.stdout`) });
    const pid = await spawned(child, DAEMONS[key]);
    guard.add(pid, DAEMONS[key]);
    started.push({ pid, name: DAEMONS[key] });
    child.once('exit', (code, signal) => exits.set(key, String(code ?? signal)));
  };
  // A daemon that dies during start-up fails the start at once with its log, instead of a long timeout.
  const abortIfDied = (): void => {
    for (const [key, how] of exits)
      throw new Error(`${DAEMONS[key]} exited (${how}) during start-up:\n${logTail(log(key))}`);
  };
  try {
    for (const sub of ['mon', 'osd0', 'rgw', 'run', 'log']) mkdirSync(join(dir, sub));
    const fsid = randomUUID();
    const osdUuid = randomUUID();
    writeFileSync(conf, cephConf({ dir, fsid, monPort, s3Port, opts }));
    writeFileSync(join(dir, 'keyring'), keyring());
    const env = { ...process.env, CEPH_CONF: conf };

    const monUp = (async () => {
      const monmap = join(dir, 'monmap');
      await run('monmaptool', [
        '--create',
        '--fsid',
        fsid,
        '--addv',
        'a',
        `[v2:127.0.0.1:${monPort}]`,
        monmap
      ]);
      const keyringFile = join(dir, 'keyring');
      await run('ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', monmap, '--keyring', keyringFile]);
      await launch('mon', ['-i', 'a']);
      // Elected = bound and serving. Checked in its log, not by connecting: a port lost to another server would
      // accept connections too. A mon that cannot bind exits (after ms_bind_retry_*) and fails the start at once.
      await waitUntil(() => logTail(log('mon'), 1000).includes('(leader)'), {
        timeoutMs: 60_000,
        what: 'ceph-mon to elect itself leader',
        abortIf: abortIfDied
      });
      // The CLI keeps trying until the mon answers (client_mount_timeout); a fresh cluster hands out id 0.
      const { stdout } = await run('ceph', ['-c', conf, 'osd', 'new', osdUuid], { env });
      if (stdout.trim() !== '0')
        throw new Error(`ceph osd new returned '${stdout.trim()}', expected osd id 0`);
    })();
    // The OSD's mkfs needs no mon (--no-mon-config), so it overlaps with the mon's bring-up.
    const mkfsArgs = ['-c', conf, '--no-mon-config', '-i', '0', '--mkfs', '--osd-uuid', osdUuid];
    const osdFormatted = run('ceph-osd', mkfsArgs, { env });
    const [mon, osd] = await Promise.allSettled([monUp, osdFormatted]);
    if (mon.status === 'rejected') throw new Error(`ceph-mon: ${String(mon.reason)}\n${logTail(log('mon'))}`);
    if (osd.status === 'rejected') throw new Error(`ceph-osd --mkfs: ${String(osd.reason)}`);

    await launch('osd', ['-i', '0']);
    // No need to wait for the OSD: radosgw creates its pools on the mon and its first writes simply wait for
    // the OSD to come up (no op timeout), so the two boot side by side.
    // Seconds have passed since the S3 port was chosen, and radosgw binds only after setting up its pools: a port
    // taken meanwhile is cheaper to replace now than after a failed start.
    if (!(await portIsFree(s3Port))) {
      s3Port = await freePort();
      writeFileSync(conf, cephConf({ dir, fsid, monPort, s3Port, opts }));
    }
    await launch('rgw', ['-n', 'client.rgw']);
    const endpoint = `http://127.0.0.1:${s3Port}`;
    await waitUntil(async () => (await httpStatus(endpoint)) === 200, {
      timeoutMs: 90_000,
      what: `radosgw on ${endpoint}`,
      abortIf: abortIfDied
    });

    const accessKeyId = opts.accessKeyId ?? randomBytes(10).toString('hex').toUpperCase();
    const secretAccessKey = opts.secretAccessKey ?? randomBytes(20).toString('hex');
    // (7) as client.admin: -n client.rgw would collide with the daemon's admin socket.
    const user = ['user', 'create', '--uid=test', '--display-name=test'];
    const keys = [`--access-key=${accessKeyId}`, `--secret-key=${secretAccessKey}`];
    await run('radosgw-admin', ['-c', conf, ...user, ...keys], { env });
    const info: S3Info = {
      endpoint,
      region: 'us-east-1',
      accessKeyId,
      secretAccessKey,
      bucket: opts.bucket ?? 'test-bucket',
      dir,
      pids: started.map(s => s.pid).reverse()
    };
    let stopped: Promise<void> | undefined;
    const server = s3Handle(info, () => (stopped ??= stopRgw(info, started, guard)));
    // The first bucket and the first object make RGW create its index and data pools: pay that here, not in
    // the first test.
    await server.createBucket(info.bucket);
    const s3 = server.client();
    await s3.send(new PutObjectCommand({ Bucket: info.bucket, Key: '.smoke', Body: 'ok' }));
    await s3.send(new DeleteObjectCommand({ Bucket: info.bucket, Key: '.smoke' }));
    s3.destroy();
    return server;
  } catch (err) {
    guard.emergencyCleanup();
    throw err;
  }
}

// (9) radosgw hangs >10 s on SIGTERM if the OSD exits at the same time, and the OSD waits 5 s for a missing mon:
// stop strictly radosgw -> OSD -> mon.
async function stopRgw(
  info: S3Info,
  started: Array<{ pid: number; name: string }>,
  guard: Guard
): Promise<void> {
  for (const daemon of [...started].reverse()) await terminate(daemon, 'SIGTERM', 10_000);
  rmSync(info.dir, { recursive: true, force: true });
  await guard.release();
}

/** A handle on an S3 server started elsewhere (the stack file); stop() is a no-op. */
export function attachS3(info: S3Info): S3Server {
  return s3Handle(info, async () => {});
}

function s3Handle(info: S3Info, stop: () => Promise<void>): S3Server {
  const client = (): S3Client =>
    new S3Client({
      endpoint: info.endpoint,
      region: info.region,
      credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey },
      forcePathStyle: true,
      // RGW 16.2 answers stream uploads sent with default (aws-chunked + trailer) checksums with 411.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED'
    });
  return {
    ...info,
    client,
    async createBucket(name) {
      const s3 = client();
      try {
        await s3.send(new CreateBucketCommand({ Bucket: name }));
      } catch (err) {
        if ((err as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw err;
      } finally {
        s3.destroy();
      }
    },
    stop
  };
}

async function httpStatus(url: string): Promise<number | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return undefined;
  }
}

/**
 * A cephx key as ceph-authtool writes it: base64 of (u16 type=1 AES, u32 sec, u32 nsec, u16 len=16, 16 bytes).
 * Only `ceph-mon --mkfs` reads the keyring (auth is off); writing it here saves two process starts.
 */
function cephKey(): string {
  const buf = Buffer.alloc(2 + 8 + 2 + 16);
  buf.writeUInt16LE(1, 0);
  buf.writeUInt32LE(Math.floor(Date.now() / 1000), 2);
  buf.writeUInt32LE(0, 6);
  buf.writeUInt16LE(16, 10);
  randomBytes(16).copy(buf, 12);
  return buf.toString('base64');
}

function keyring(): string {
  return [
    '[mon.]',
    `\tkey = ${cephKey()}`,
    '\tcaps mon = "allow *"',
    '[client.admin]',
    `\tkey = ${cephKey()}`,
    '\tcaps mon = "allow *"',
    '\tcaps osd = "allow *"',
    '\tcaps mgr = "allow *"',
    ''
  ].join('\n');
}

function cephConf(p: {
  dir: string;
  fsid: string;
  monPort: number;
  s3Port: number;
  opts: StartRgwOptions;
}): string {
  const { dir, fsid, monPort, s3Port, opts } = p;
  const storeBytes = opts.storeBytes ?? 4 * 1024 ** 3;
  // Daemons' sockets, pid files and logs are set per daemon section: CLI clients (ceph, radosgw-admin) then run
  // side by side without fighting over one admin socket.
  const daemonFiles = (name: string): string[] => [
    `admin_socket = ${dir}/run/${name}.asok`,
    `pid_file = ${dir}/run/${name}.pid`,
    `log_file = ${dir}/log/${name}.log`
  ];
  return [
    '[global]',
    `fsid = ${fsid}`,
    `mon_host = v2:127.0.0.1:${monPort}`,
    'public_addr = 127.0.0.1',
    'ms_bind_ipv4 = true',
    'ms_bind_ipv6 = false',
    'ms_bind_msgr1 = false',
    'auth_cluster_required = none',
    'auth_service_required = none',
    'auth_client_required = none',
    // (2) radosgw defaults to secure mon mode, impossible without cephx: it would hang 300 s. crc for everyone,
    // and a short mount timeout so a misconfiguration fails fast.
    'ms_mon_client_mode = crc',
    'ms_client_mode = crc',
    'client_mount_timeout = 30',
    // (10) the mon shuts itself down below 5 % free disk: irrelevant for a throw-away cluster on a CI disk.
    'mon_data_avail_warn = 1',
    'mon_data_avail_crit = 0',
    `run_dir = ${dir}/run`,
    `keyring = ${dir}/keyring`,
    `crash_dir = ${dir}/crash`,
    'log_to_stderr = false',
    'err_to_stderr = true',
    // One replica: needs both the default size and the explicit permission; CRUSH across OSDs, not hosts.
    'osd_pool_default_size = 1',
    'osd_pool_default_min_size = 1',
    'mon_allow_pool_size_one = true',
    'mon_warn_on_pool_no_redundancy = false',
    'osd_crush_chooseleaf_type = 0',
    'osd_pool_default_pg_num = 8',
    'osd_pool_default_pgp_num = 8',
    'osd_pool_default_pg_autoscale_mode = off',
    'mon_max_pg_per_osd = 1000',
    'mon_allow_pool_delete = true',
    'ms_async_op_threads = 1',
    // A taken port fails the daemon after ~1 s instead of 3 tries 5 s apart; the start then retries on new ports.
    'ms_bind_retry_count = 1',
    'ms_bind_retry_delay = 1',
    '',
    '[mon]',
    // (3) every osdmap change (OSD boot, each pool RGW creates) waits paxos_propose_interval (1 s by default).
    'paxos_propose_interval = 0.01',
    'paxos_min_wait = 0.01',
    'mon_tick_interval = 1',
    `mon_data = ${dir}/mon`,
    'mon_initial_members = a',
    `mon_cluster_log_file = ${dir}/log/cluster.log`,
    ...daemonFiles('mon'),
    '',
    '[osd]',
    `osd_data = ${dir}/osd0`,
    `osd_objectstore = ${opts.store ?? 'bluestore'}`,
    `memstore_device_bytes = ${storeBytes}`,
    `bluestore_block_path = ${dir}/osd0/block.file`,
    `bluestore_block_size = ${storeBytes}`,
    'bluestore_block_create = true',
    'bluestore_fsck_on_mkfs = false',
    'osd_memory_target = 939524096',
    'osd_op_num_shards = 1',
    'osd_op_num_threads_per_shard = 2',
    ...daemonFiles('osd'),
    '',
    '[client.rgw]',
    // (4) without tcp_nodelay every small request costs 40-50 ms (Nagle + delayed ACK).
    `rgw_frontends = beast endpoint=127.0.0.1:${s3Port} tcp_nodelay=1`,
    `rgw_data = ${dir}/rgw`,
    'rgw_thread_pool_size = 32',
    'rgw_dns_name = localhost',
    // (5) deleted objects are reclaimed by GC after 2 h by default: reclaim after 5 s so space comes back.
    'rgw_gc_obj_min_wait = 5',
    'rgw_gc_processor_period = 5',
    // radosgw starts before the OSD is up; its first reads wait for a newer osdmap, which the client only asks
    // for on its objecter tick (5 s by default).
    'objecter_tick_interval = 0.1',
    ...daemonFiles('rgw'),
    ''
  ].join('\n');
}
