// One server of each kind per test run: from the stack file when scripts/test.sh started the stack (stop() is then
// a no-op, the stack-cli owns them), otherwise started on first use in this test file and stopped after it.
import { afterAll } from '@jest/globals';
import { attachPostgres, startPostgres, type PostgresServer } from './postgres.js';
import { attachRegistry, startRegistry, type RegistryServer } from './registry.js';
import { attachS3, startRgw, type S3Server } from './rgw.js';
import { readStackFile } from './stack-file.js';

export type { PostgresServer } from './postgres.js';
export type { RegistryServer } from './registry.js';
export type { S3Server } from './rgw.js';

const startedHere: Array<Promise<{ stop(): Promise<void> }>> = [];
let postgres: Promise<PostgresServer> | undefined;
let s3: Promise<S3Server> | undefined;
let registry: Promise<RegistryServer> | undefined;

function acquire<T extends { stop(): Promise<void> }>(
  fromFile: (() => T) | undefined,
  start: () => Promise<T>
) {
  if (fromFile) return Promise.resolve(fromFile());
  const started = start();
  startedHere.push(started);
  return started;
}

export function sharedPostgres(): Promise<PostgresServer> {
  if (!postgres) {
    const info = readStackFile()?.postgres;
    postgres = acquire(info && (() => attachPostgres(info)), () => startPostgres());
  }
  return postgres;
}

export function sharedS3(): Promise<S3Server> {
  if (!s3) {
    const info = readStackFile()?.s3;
    s3 = acquire(info && (() => attachS3(info)), () => startRgw());
  }
  return s3;
}

export function sharedRegistry(): Promise<RegistryServer> {
  if (!registry) {
    const info = readStackFile()?.registry;
    registry = acquire(info && (() => attachRegistry(info)), () => startRegistry());
  }
  return registry;
}

// Hooks can only be added while jest collects the test file, and top-level afterAll hooks run in the order they
// were added. Adding ours from a microtask puts it after the test file's own top-level hooks (declared in the
// synchronous part of the file), so their teardown can still use the servers before we stop them.
// (Import this module statically: from inside a running test, jest refuses the hook and fails that test.)
queueMicrotask(() =>
  afterAll(async () => {
    const servers = await Promise.allSettled(startedHere.splice(0));
    await Promise.all(servers.map(s => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
  }, 120_000)
);
