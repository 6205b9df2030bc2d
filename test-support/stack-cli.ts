// Starts the local stack once for a whole test run and keeps it up until told to stop:
//
//   npx tsx test-support/stack-cli.ts start --json <file> [--only postgres,s3,registry]
//   npx tsx test-support/stack-cli.ts stop --json <file>
//
// `start` writes <file> (connection details + pids; point APP_PIPELINE_STACK at it) once every server answers,
// then stays in the foreground. SIGTERM/SIGINT/SIGHUP, `stop`, or the death of its parent process stop everything
// and remove <file>. A failed start stops what did start and exits 1 without writing <file>.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { startPostgres, type PostgresServer } from './postgres.js';
import { isAlive, leaveSignalsToCaller, sleep } from './process.js';
import { startRegistry, type RegistryServer } from './registry.js';
import { startRgw, type S3Server } from './rgw.js';
import { writeStackFile, type StackFile } from './stack-file.js';

const KINDS = ['postgres', 's3', 'registry'] as const;
type Kind = (typeof KINDS)[number];
type Server = PostgresServer | S3Server | RegistryServer;

const starters: Record<Kind, () => Promise<Server>> = {
  postgres: () => startPostgres(),
  s3: () => startRgw(),
  registry: () => startRegistry()
};

function usage(): never {
  process.stderr.write(
    'usage: stack-cli start --json <file> [--only postgres,s3,registry]\n       stack-cli stop --json <file>\n'
  );
  process.exit(2);
}

function parseArgs(argv: string[]): { command: string; file: string; only: Kind[] } {
  const [command, ...rest] = argv;
  let file: string | undefined;
  let only: Kind[] = [...KINDS];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--json') file = rest[++i];
    else if (rest[i] === '--only') {
      const names = (rest[++i] ?? '').split(',').filter(Boolean);
      const unknown = names.filter(n => !(KINDS as readonly string[]).includes(n));
      if (unknown.length || names.length === 0) {
        process.stderr.write(
          `stack-cli: --only takes a list of ${KINDS.join(', ')} (got '${rest[i] ?? ''}')\n`
        );
        process.exit(2);
      }
      only = names as Kind[];
    } else usage();
  }
  if (!file || (command !== 'start' && command !== 'stop')) usage();
  return { command, file: resolve(file), only };
}

async function start(file: string, only: Kind[]): Promise<void> {
  leaveSignalsToCaller();
  const servers = new Map<Kind, Server>();
  let stopping: Promise<void> | undefined;
  const stopAll = (code: number): Promise<void> =>
    (stopping ??= (async () => {
      // Writers of the file are us only: remove it first so nobody attaches to servers going away.
      rmSync(file, { force: true });
      await Promise.allSettled([...servers.values()].map(s => s.stop()));
      process.exit(code);
    })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));

  // The script that started us is gone (killed, crashed): nobody will stop us, so stop now. Wrappers sit between
  // it and us (npx, tsx), so watch a few ancestors, not only the direct parent.
  const watched = ancestors(process.pid, 4);
  setInterval(() => {
    if (watched.some(pid => !isAlive(pid))) void stopAll(0);
  }, 500);

  const t0 = Date.now();
  const results = await Promise.allSettled(
    only.map(async kind => {
      const t = Date.now();
      const server = await starters[kind]();
      servers.set(kind, server);
      process.stderr.write(`stack-cli: ${kind} up in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    })
  );
  const failed = results.flatMap((r, i) =>
    r.status === 'rejected' ? [`${only[i]}: ${String(r.reason)}`] : []
  );
  if (failed.length) {
    process.stderr.write(`stack-cli: start failed\n${failed.join('\n')}\n`);
    return stopAll(1);
  }
  // The handles' methods do not survive JSON: the file holds exactly their data (the *Info types).
  const stack: StackFile = {
    version: 1,
    ownerPid: process.pid,
    postgres: servers.get('postgres') as PostgresServer | undefined,
    s3: servers.get('s3') as S3Server | undefined,
    registry: servers.get('registry') as RegistryServer | undefined
  };
  writeStackFile(file, stack);
  process.stderr.write(
    `stack-cli: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; APP_PIPELINE_STACK=${file}\n`
  );
}

/** Up to `max` ancestors of a process, nearest first, never init. */
function ancestors(pid: number, max: number): number[] {
  const found: number[] = [];
  for (let p = pid; found.length < max;) {
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (p <= 1) break;
    found.push(p);
  }
  return found;
}

async function stop(file: string): Promise<void> {
  if (!existsSync(file)) return;
  const { ownerPid } = JSON.parse(readFileSync(file, 'utf8')) as StackFile;
  if (isAlive(ownerPid)) process.kill(ownerPid, 'SIGTERM');
  while (isAlive(ownerPid)) await sleep(50);
}

const args = parseArgs(process.argv.slice(2));
await (args.command === 'start' ? start(args.file, args.only) : stop(args.file));
