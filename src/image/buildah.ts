import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BuildFailedError,
  buildArgArgs,
  taggedName,
  labelArgs,
  targetArgs,
  type BuildOutcome,
  type BuildRequest,
  type Builder,
  type BuilderDeps
} from './builder.js';
import { cancellation } from '../kit/cancellation.js';
import { childEnvironment } from '../kit/child-environment.js';
import { lastErrorLine } from './command.js';
import { builderLogin, builderLogout } from './builder-login.js';
import { listWorkingContainers, removeNewWorkingContainers } from './working-containers.js';

/** The working containers there were before this run's build (see working-containers.ts), one id a line. */
export const containersBeforeFile = (workDir: string): string => join(workDir, 'containers-before');

/**
 * buildah: daemonless, runs on any runner with buildah installed (GitHub's ubuntu images have it).
 * Credentials live in a private auth file inside the request's work dir, so nothing touches the user's
 * ~/.docker or containers auth, and logout + removing the work dir leaves no token behind.
 */
export const authFile = (req: BuildRequest): string => join(req.workDir, 'auth.json');
const digestFile = (req: BuildRequest): string => join(req.workDir, 'digest');

/** The registry repository holding buildah's layer cache: one image per cached step, tagged by cache key. */
export const cacheRepository = (req: BuildRequest): string => `${req.image.name}-cache`;

export function buildahLoginArgs(req: BuildRequest): string[] {
  if (!req.credentials) throw new Error('no credentials');
  return [
    'login',
    '--authfile',
    authFile(req),
    `--tls-verify=${req.tlsVerify}`,
    '--username',
    req.credentials.username,
    '--password-stdin',
    req.image.registry
  ];
}

export function buildahBuildArgs(req: BuildRequest): string[] {
  const args = ['build', `--tls-verify=${req.tlsVerify}`];
  if (req.credentials) args.push('--authfile', authFile(req));
  // --force-rm: a failed step must not leave its container (and overlay mount) behind on a self-hosted runner.
  args.push('--platform', req.platform, '--layers', '--force-rm', '--file', req.file, ...targetArgs(req));
  // The registry cache needs push rights; without a push the local --layers cache is all there is.
  if (req.push) args.push('--cache-from', cacheRepository(req), '--cache-to', cacheRepository(req));
  for (const tag of req.tags) args.push('--tag', taggedName(req.image, tag));
  args.push(...labelArgs(req.labels), ...buildArgArgs(req.buildArgs), req.context);
  return args;
}

export function buildahPushArgs(req: BuildRequest): string[] {
  const ref = taggedName(req.image, req.tags[0]!);
  const args = ['push', `--tls-verify=${req.tlsVerify}`];
  if (req.credentials) args.push('--authfile', authFile(req));
  args.push('--digestfile', digestFile(req), ref, `docker://${ref}`);
  return args;
}

export function buildahLogoutArgs(req: BuildRequest): string[] {
  return ['logout', '--authfile', authFile(req), req.image.registry];
}

/** Steps (`STEP 2/4: COPY ...`, FROM excluded) and the ones buildah reused (`--> Using cache <id>`). */
export function countBuildahCache(
  lines: string[],
  labels: Record<string, string> = {}
): { steps: number; cachedSteps: number } {
  // buildah turns each --label into a LABEL step of its own; those change every commit and are not the
  // user's build steps.
  const ours = new Set(
    Object.entries(labels).map(([k, v]) => `LABEL ${JSON.stringify(k)}=${JSON.stringify(v)}`)
  );
  let steps = 0;
  let cachedSteps = 0;
  let counting = false;
  for (const line of lines) {
    const step = /^STEP \d+\/\d+: (.*)$/.exec(line);
    if (step) {
      counting = !/^FROM /i.test(step[1]!) && !ours.has(step[1]!);
      if (counting) steps++;
    } else if (counting && /^--> Using cache [0-9a-f]+/.test(line)) {
      cachedSteps++;
    }
  }
  return { steps, cachedSteps };
}

export class BuildahBuilder implements Builder {
  readonly name = 'buildah' as const;

  constructor(private readonly deps: BuilderDeps) {}

  /**
   * buildah's own temp dirs (`buildahNNN`, left behind when it is stopped mid-build) go inside the request's work
   * dir (its `tmp`, made by createWorkDir), so removing that removes them too.
   */
  private env(req: BuildRequest): NodeJS.ProcessEnv {
    return childEnvironment(this.deps.env ?? process.env, { TMPDIR: join(req.workDir, 'tmp') });
  }

  login(req: BuildRequest): Promise<void> {
    return builderLogin('buildah', buildahLoginArgs, req, { ...this.deps, env: this.env(req) });
  }

  async build(req: BuildRequest): Promise<BuildOutcome> {
    const { log } = this.deps;
    const env = this.env(req);
    // buildah stopped early (a cancel as a step starts, a SIGKILL) leaves its working containers: the new ones
    // are removed by an undo step, or by the next run from this file when this one is killed.
    const before = await listWorkingContainers(env);
    if (before)
      try {
        writeFileSync(containersBeforeFile(req.workDir), before.join('\n'));
      } catch {
        // no work dir (a test's fake one): the undo step still has the list
      }
    const containers = before
      ? cancellation.addUndo("remove this build's buildah working containers", async signal => {
          const removed = await removeNewWorkingContainers(before, env, signal);
          if (removed.length)
            log.info(`removed ${removed.length} buildah working container(s) of this build`);
        })
      : undefined;
    const built = await log.group(`buildah build ${taggedName(req.image, req.tags[0]!)}`, () =>
      this.deps.run('buildah', buildahBuildArgs(req), {
        env,
        onLine: line => log.info(line),
        dieWithParent: true
      })
    );
    // Cancelled: nothing more may start, the push least; the undo steps remove what buildah left.
    cancellation.throwIfCancelled();
    if (built.exitCode === 0) containers?.dismiss();
    else await containers?.run();
    if (built.exitCode !== 0)
      throw new BuildFailedError(
        `buildah build failed (exit code ${built.exitCode}): ${lastErrorLine(built.lines) ?? 'no output'}`,
        built.lines
      );
    const cache = countBuildahCache(built.lines, req.labels);
    if (!req.push) return { pushedTags: [], ...cache };

    const pushed = await log.group(`buildah push ${taggedName(req.image, req.tags[0]!)}`, () =>
      this.deps.run('buildah', buildahPushArgs(req), {
        env: this.env(req),
        onLine: line => log.info(line),
        dieWithParent: true
      })
    );
    cancellation.throwIfCancelled();
    if (pushed.exitCode !== 0)
      throw new BuildFailedError(
        `buildah push ${taggedName(req.image, req.tags[0]!)} failed (exit code ${pushed.exitCode}): ${lastErrorLine(pushed.lines) ?? 'no output'}`,
        pushed.lines
      );
    const digest = readFileSync(digestFile(req), 'utf8').trim();
    return { digest, pushedTags: [req.tags[0]!], ...cache };
  }

  logout(req: BuildRequest): Promise<void> {
    return builderLogout('buildah', buildahLogoutArgs, req, { ...this.deps, env: this.env(req) });
  }
}
