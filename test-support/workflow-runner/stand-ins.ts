/**
 * Small declared stand-ins for the third-party actions and service containers our workflows use. Each does the
 * part of the real thing our workflows rely on, and fails the way it does; anything else is refused.
 *   actions/checkout       copies the named repository at the named ref; fails like GitHub when the token cannot
 *                          read it (actions/checkout: `repository`, `ref`, `path`, `token`, `persist-credentials`)
 *   actions/setup-python   puts this machine's python3 on PATH when its version matches (no download here)
 *   actions/setup-node     puts this node on PATH when its major matches
 *   services: postgres:N   a throw-away PostgreSQL N from the local stack on a free port (`job.services.<id>.ports`)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { startPostgres, type PostgresServer } from '../postgres.js';
import { Unsupported, onlyKnown } from './unsupported.js';

export interface RepositoryDefinition {
  /** Directory holding the repository's files (copied by checkout, .git and node_modules left out). */
  dir: string;
  visibility: 'public' | 'private' | 'internal';
  /** The commit the files are at (what `ref:` may name besides the branch). */
  sha: string;
  defaultBranch?: string;
}

export interface CheckoutContext {
  repositories: Record<string, RepositoryDefinition>;
  /** The run's own repository (GITHUB_TOKEN reads only this one, and public ones). */
  callerRepository: string;
  githubToken: string;
  /** Tokens other than GITHUB_TOKEN (e.g. a fine-grained PAT in a secret) and the repositories each can read. */
  tokens: Record<string, string[]>;
  workspace: string;
  log: (line: string) => void;
}

const CHECKOUT_INPUTS = ['repository', 'ref', 'path', 'token', 'persist-credentials', 'fetch-depth'];

export function checkout(
  inputs: Record<string, string>,
  ctx: CheckoutContext,
  contentsRead: boolean
): number {
  onlyKnown('actions/checkout inputs', Object.keys(inputs), CHECKOUT_INPUTS);
  const name = inputs.repository || ctx.callerRepository;
  const token = inputs.token ?? ctx.githubToken;
  if (token === '') {
    // actions/checkout declares token with a default; an explicit empty value leaves it without credentials.
    ctx.log(`::error::Input required and not supplied: token`);
    return 1;
  }
  const repo = ctx.repositories[name];
  const readable =
    repo !== undefined &&
    (repo.visibility === 'public' ||
      (token === ctx.githubToken
        ? name === ctx.callerRepository && contentsRead
        : (ctx.tokens[token] ?? []).includes(name)));
  if (!repo || !readable) {
    // What git prints through actions/checkout when the credentials cannot see the repository.
    ctx.log(`remote: Repository not found.`);
    ctx.log(`fatal: repository 'https://github.com/${name}/' not found`);
    ctx.log(`::error::The process '/usr/bin/git' failed with exit code 128`);
    return 1;
  }
  const ref = inputs.ref ?? '';
  const branch = repo.defaultBranch ?? 'main';
  if (ref && ![repo.sha, branch, `refs/heads/${branch}`].includes(ref)) {
    ctx.log(`::error::A branch or tag with the name '${ref}' could not be found`);
    return 1;
  }
  const dest = resolve(ctx.workspace, inputs.path ?? '.');
  if (relative(ctx.workspace, dest).startsWith('..'))
    throw new Unsupported(`checkout path outside the workspace (${inputs.path})`);
  // Like checkout: clean the target (keeping other checkouts nested in the workspace root intact).
  if (existsSync(dest) && dest !== ctx.workspace) rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  cpSync(repo.dir, dest, {
    recursive: true,
    filter: src => !/(^|\/)(node_modules|\.git)$/.test(src) || src === repo.dir
  });
  ctx.log(`Checked out ${name}@${(ref || branch).slice(0, 12)} into ${relative(ctx.workspace, dest) || '.'}`);
  return 0;
}

export function setupPython(
  inputs: Record<string, string>,
  log: (l: string) => void,
  binDir: string,
  python: string | undefined,
  addedPath: string[]
): number {
  onlyKnown('actions/setup-python inputs', Object.keys(inputs), ['python-version', 'cache']);
  const want = inputs['python-version'] ?? '';
  const interpreter = python ?? 'python3';
  const have = execFileSync(interpreter, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    encoding: 'utf8'
  }).trim();
  if (python) {
    // Like setup-python, the interpreter's directory goes first on PATH: python and python3 are this one.
    mkdirSync(binDir, { recursive: true });
    for (const name of ['python', 'python3']) {
      rmSync(join(binDir, name), { force: true });
      symlinkSync(python, join(binDir, name));
    }
    addedPath.push(binDir);
  }
  // No download here: the stand-in uses this machine's Python, and says so when the versions differ.
  log(`setup-python stand-in: ${python ?? 'python'} ${have} on PATH (asked for ${want || 'any'})`);
  return 0;
}

export function setupNode(inputs: Record<string, string>, log: (l: string) => void): number {
  onlyKnown('actions/setup-node inputs', Object.keys(inputs), ['node-version', 'cache']);
  log(`setup-node stand-in: node ${process.version} on PATH (asked for ${inputs['node-version'] || 'any'})`);
  return 0;
}

export interface ServiceHandle {
  ports: Record<string, string>;
  stop: () => Promise<void>;
}

/** Installed PostgreSQL server majors (the stand-in for `postgres:N` needs N here). */
export function installedPostgresMajors(root = '/usr/lib/postgresql'): number[] {
  return existsSync(root)
    ? readdirSync(root)
        .filter(v => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .map(Number)
    : [];
}

export async function startService(
  id: string,
  spec: { image?: string; env?: Record<string, string>; ports?: string[]; options?: string },
  log: (l: string) => void
): Promise<ServiceHandle> {
  onlyKnown(`service ${id}`, Object.keys(spec), ['image', 'env', 'ports', 'options']);
  const m = /^postgres:(\d+)(?:[.-][\w.-]*)?$/.exec(spec.image ?? '');
  if (!m) throw new Unsupported(`service image '${spec.image}' (only postgres:<major>)`);
  const major = Number(m[1]);
  if (!installedPostgresMajors().includes(major))
    throw new Unsupported(
      `service ${spec.image}: PostgreSQL ${major} is not installed here (have ${installedPostgresMajors().join(', ') || 'none'})`
    );
  const ports: Record<string, string> = {};
  for (const p of spec.ports ?? []) {
    // A fixed host port (5432:5432) clashes with anything else on the machine; the job reads the mapped one.
    if (!/^\d+(\/tcp)?$/.test(p)) throw new Unsupported(`service port mapping '${p}' (use '5432/tcp')`);
  }
  const server: PostgresServer = await startPostgres({
    binDir: `/usr/lib/postgresql/${major}/bin`,
    user: spec.env?.POSTGRES_USER ?? 'postgres',
    password: spec.env?.POSTGRES_PASSWORD ?? ''
  });
  ports['5432'] = String(server.port);
  log(`service ${id}: ${spec.image} stand-in on 127.0.0.1:${server.port}`);
  return { ports, stop: () => server.stop() };
}

export const THIRD_PARTY = new Set(['actions/checkout', 'actions/setup-python', 'actions/setup-node']);
