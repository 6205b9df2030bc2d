// The stack file: connection details and pids of servers started once by stack-cli for a whole test run.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { PostgresInfo } from './postgres.js';
import type { RegistryInfo } from './registry.js';
import type { S3Info } from './rgw.js';
import { isAlive } from './process.js';

export const STACK_ENV = 'APP_PIPELINE_STACK';

export interface StackFile {
  version: 1;
  /** The stack-cli process that owns (and will stop) the servers. */
  ownerPid: number;
  postgres?: PostgresInfo;
  s3?: S3Info;
  registry?: RegistryInfo;
}

/** Written to a temp name and renamed: a reader never sees half a file. */
export function writeStackFile(path: string, stack: StackFile): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(stack, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

/** The stack named by $APP_PIPELINE_STACK, or undefined when the variable is unset. */
export function readStackFile(path = process.env[STACK_ENV]): StackFile | undefined {
  if (!path) return undefined;
  let stack: StackFile;
  try {
    stack = JSON.parse(readFileSync(path, 'utf8')) as StackFile;
  } catch (err) {
    throw new Error(`${STACK_ENV}=${path}: cannot read the stack file: ${(err as Error).message}`);
  }
  if (stack.version !== 1)
    throw new Error(`${STACK_ENV}=${path}: unknown stack file version ${stack.version}`);
  if (!isAlive(stack.ownerPid))
    throw new Error(`${STACK_ENV}=${path}: the stack-cli process ${stack.ownerPid} that started it is gone`);
  return stack;
}
