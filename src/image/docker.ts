import { readFileSync } from 'node:fs';
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
import { childEnvironment } from '../kit/child-environment.js';
import { builderLogin, builderLogout } from './builder-login.js';
import { lastErrorLine, type RunCommand } from './command.js';

/**
 * docker buildx: GitHub's hosted runners have a daemon. Provenance and SBOM attestations are switched off
 * so the pushed digest is the single-platform image manifest (not an index with an `unknown/unknown`
 * attestation entry) that App Platform pulls and a rollback pins.
 */
export const BUILDX_BUILDER_NAME = 'app-platform-pipeline';
const metadataFile = (req: BuildRequest): string => join(req.workDir, 'buildx-metadata.json');

/** Docker Hub logins take no server argument. */
const loginServer = (req: BuildRequest): string[] =>
  req.image.registry === 'docker.io' ? [] : [req.image.registry];

/** The gha cache scope: one per image, so two images built in one repository do not evict each other. */
export const cacheScope = (req: BuildRequest): string => req.image.repository.replace(/[^a-z0-9._-]+/g, '-');

/** BuildKit reads the Actions cache service from these variables, which the runner gives JavaScript actions. */
export function ghaCacheAvailable(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_RESULTS_URL || env.ACTIONS_CACHE_URL));
}

function ghaCacheVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const names = [
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_URL',
    'ACTIONS_CACHE_SERVICE_V2'
  ];
  return Object.fromEntries(names.filter(n => env[n] !== undefined).map(n => [n, env[n]]));
}

export function dockerLoginArgs(req: BuildRequest): string[] {
  if (!req.credentials) throw new Error('no credentials');
  return ['login', '--username', req.credentials.username, '--password-stdin', ...loginServer(req)];
}

export function dockerLogoutArgs(req: BuildRequest): string[] {
  return ['logout', ...loginServer(req)];
}

export function dockerBuildArgs(req: BuildRequest, opts: { builder?: string; ghaCache: boolean }): string[] {
  const args = ['buildx', 'build'];
  if (opts.builder) args.push('--builder', opts.builder);
  args.push('--progress=plain', '--platform', req.platform, '--file', req.file, ...targetArgs(req));
  for (const tag of req.tags) args.push('--tag', taggedName(req.image, tag));
  args.push(...labelArgs(req.labels), ...buildArgArgs(req.buildArgs));
  args.push('--provenance=false', '--sbom=false', '--metadata-file', metadataFile(req));
  if (req.push) {
    // `--push` cannot be told that a registry is plain http / self-signed; the image exporter can.
    args.push(...(req.tlsVerify ? ['--push'] : ['--output', 'type=image,push=true,registry.insecure=true']));
  } else {
    args.push('--load');
  }
  if (opts.ghaCache) {
    const scope = cacheScope(req);
    args.push('--cache-from', `type=gha,scope=${scope}`, '--cache-to', `type=gha,scope=${scope},mode=max`);
  }
  args.push(req.context);
  return args;
}

/** `docker buildx build --progress=plain` prints `#7 [2/3] COPY ...` per step and `#7 CACHED` for reused ones. */
export function countBuildxCache(lines: string[]): { steps: number; cachedSteps: number } {
  const steps = new Set<string>();
  const cached = new Set<string>();
  for (const line of lines) {
    const step = /^#(\d+) \[(?:[^\]]*\s)?\d+\/\d+\] (?!FROM )/.exec(line);
    if (step) steps.add(step[1]!);
    const hit = /^#(\d+) CACHED\s*$/.exec(line);
    if (hit) cached.add(hit[1]!);
  }
  return { steps: steps.size, cachedSteps: [...cached].filter(id => steps.has(id)).length };
}

/** True when a docker daemon answers (`docker info` exits 0). */
export async function dockerAvailable(run: RunCommand, env?: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    return (await run('docker', ['info', '--format', '{{.ServerVersion}}'], { env })).exitCode === 0;
  } catch {
    return false;
  }
}

export class DockerBuilder implements Builder {
  readonly name = 'docker' as const;
  private builder?: string;

  constructor(private readonly deps: BuilderDeps) {}

  login(req: BuildRequest): Promise<void> {
    return builderLogin('docker', dockerLoginArgs, req, this.deps);
  }

  /**
   * The default `docker` driver cannot export to the gha cache; a docker-container builder can. Create one
   * (once per runner) only when the cache would be used.
   */
  async prepareBuilder(): Promise<string | undefined> {
    const env = this.deps.env ?? process.env;
    if (!ghaCacheAvailable(env)) return undefined;
    const current = await this.deps.run('docker', ['buildx', 'inspect'], { env });
    const driver = /^Driver:\s*(\S+)/m.exec(current.stdout)?.[1];
    if (current.exitCode === 0 && driver !== 'docker') return undefined;
    const ours = await this.deps.run('docker', ['buildx', 'inspect', BUILDX_BUILDER_NAME], { env });
    if (ours.exitCode !== 0) {
      const created = await this.deps.run(
        'docker',
        ['buildx', 'create', '--name', BUILDX_BUILDER_NAME, '--driver', 'docker-container'],
        { env }
      );
      if (created.exitCode !== 0) {
        this.deps.log.warning(
          `docker buildx create failed, building without the gha cache: ${lastErrorLine(created.lines)}`
        );
        return '';
      }
    }
    return BUILDX_BUILDER_NAME;
  }

  async build(req: BuildRequest): Promise<BuildOutcome> {
    const { log } = this.deps;
    if (this.builder === undefined) this.builder = await this.prepareBuilder();
    const base = this.deps.env ?? process.env;
    const ghaCache = this.builder !== '' && ghaCacheAvailable(base);
    const args = dockerBuildArgs(req, { builder: this.builder || undefined, ghaCache });
    // Children get no ACTIONS_* credentials (childEnvironment), except the build that uses the cache service.
    const env = ghaCache ? childEnvironment(base, ghaCacheVariables(base)) : this.deps.env;
    const built = await log.group(`docker buildx build ${taggedName(req.image, req.tags[0]!)}`, () =>
      this.deps.run('docker', args, { env, onLine: line => log.info(line) })
    );
    if (built.exitCode !== 0)
      throw new BuildFailedError(
        `docker buildx build failed (exit code ${built.exitCode}): ${lastErrorLine(built.lines) ?? 'no output'}`,
        built.lines
      );
    const cache = countBuildxCache(built.lines);
    if (!req.push) return { pushedTags: [], ...cache };
    const metadata = JSON.parse(readFileSync(metadataFile(req), 'utf8')) as Record<string, unknown>;
    const digest =
      typeof metadata['containerimage.digest'] === 'string' ? metadata['containerimage.digest'] : undefined;
    return { digest, pushedTags: [...req.tags], ...cache };
  }

  logout(req: BuildRequest): Promise<void> {
    return builderLogout('docker', dockerLogoutArgs, req, this.deps);
  }
}
