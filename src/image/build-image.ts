import { registerCredentials } from '../kit/secrets.js';
import { cancellation } from '../kit/cancellation.js';
import { RemoteError, errorMessage } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import { formatDuration } from '../kit/duration.js';
import { BuildahBuilder } from './buildah.js';
import {
  BuildFailedError,
  taggedName,
  type BuildOutcome,
  type BuildRequest,
  type Builder,
  type BuilderName
} from './builder.js';
import type { RunCommand } from './command.js';
import { DockerBuilder, dockerAvailable } from './docker.js';
import type { GitHubContext } from './github-context.js';
import { ociLabels } from './labels.js';
import type { ImageName } from './reference.js';
import {
  RegistryClient,
  type ManifestInfo,
  type RegistryClientOptions,
  type RegistryCredentials
} from './registry.js';
import { computeTags } from './tags.js';
import { TARGET_LABEL } from './target.js';
import { createWorkDir, removeStaleWorkDirs } from './work-dir.js';
import { removeNewWorkingContainers } from './working-containers.js';

const FAILED_OUTPUT_LINES = 40;

export type BuilderKind = 'auto' | 'docker' | 'buildah';

export interface BuildImageOptions {
  image: ImageName;
  /** Absolute paths, checked by resolveBuildPaths. */
  context: string;
  file: string;
  extraTags: string[];
  buildArgs: string[];
  platform: string;
  /** Checked by checkTarget; undefined builds the last stage. */
  target?: string;
  push: boolean;
  credentials?: RegistryCredentials;
  builder: BuilderKind;
  tlsVerify: boolean;
  skipExisting: boolean;
  github: GitHubContext;
}

export interface BuildImageDeps {
  run: RunCommand;
  log: Logger;
  /** Environment for the builder processes (buildah storage settings, Actions cache variables). */
  env?: NodeJS.ProcessEnv;
  registry?: (opts: RegistryClientOptions) => RegistryClient;
  now?: () => number;
}

export interface BuildImageResult {
  image: string;
  /** The pushed single-platform image manifest digest; undefined when not pushed, or failed. */
  digest?: string;
  ref?: string;
  tags: string[];
  /** The image's labels: read back from the registry when pushed, else the ones applied. */
  labels: Record<string, string>;
  platform: string;
  builder: BuilderName | 'none';
  /** true when sha-<commit> was already in the registry and nothing was built. */
  skipped: boolean;
  sizeBytes?: number;
  buildMs: number;
  cachedSteps: number;
  steps: number;
  /** Set when the run failed (no digest output, no outputs at all): why, and what it had done by then. */
  failure?: BuildFailure;
}

export interface BuildFailure {
  /**
   * `build`: the builder's build or push step failed; `registry`: the registry refused a call (or could not be
   * reached), or served something else than was pushed, after the login: the skip-existing check, the digest
   * read-back, the tagging.
   */
  step: 'build' | 'registry';
  /** One line: the step and its error (a refused call with the server's message and request id). */
  message: string;
  /** The last lines of the builder's output (none for a registry failure). */
  output: string[];
  /** The tags this run had put in the registry (the builder's push, each tag added after it), or reused. */
  pushedTags: string[];
  /** The single-platform image manifest digest, when it was read back before the failure. */
  digest?: string;
}

/** The registry serves something else than this run pushed: failed like a refused call. */
class RegistryMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryMismatchError';
  }
}

/** What the run has done so far: a registry failure part-way returns it, for the summary. */
interface Progress {
  /** The build's facts (nothing built yet: builder 'none'). */
  build: Pick<BuildImageResult, 'builder' | 'skipped' | 'buildMs' | 'cachedSteps' | 'steps'>;
  /** The tags in the registry by this run: the builder's push (or the reused sha tag), then each tag added. */
  pushedTags: string[];
  /** The single-platform image manifest digest, once read back. */
  digest?: string;
}

/** One run of buildImage: its options, the tags and labels it computed, and its progress. */
interface Run {
  opts: BuildImageOptions;
  deps: BuildImageDeps;
  now: () => number;
  shaTag: string;
  /** What every result carries. */
  base: Pick<BuildImageResult, 'image' | 'tags' | 'labels' | 'platform'>;
  progress: Progress;
}

/**
 * Builds and pushes the image, or reuses the pushed `sha-<commit>` image (skip-existing), and returns the
 * digest read back from the registry. Every tag ends up pointing at the same manifest bytes: the builder pushes the
 * sha tag, the other tags are PUT through the registry API from the manifest it serves.
 *
 * A failed build or push step is returned as `failure`, and so is a registry that refuses a call, cannot be
 * reached, or serves something else than was pushed once this run is past the login; the failure says what was
 * pushed by then. A registry that is unreachable or refuses the credentials at the login, before anything of this
 * run exists, throws (RemoteError), as input errors do.
 */
export async function buildImage(opts: BuildImageOptions, deps: BuildImageDeps): Promise<BuildImageResult> {
  const { log } = deps;
  // The form the credentials take in the Authorization header and in auth.json: a server echoing either is masked.
  if (opts.credentials) registerCredentials(opts.credentials.username, opts.credentials.password);
  const now = deps.now ?? Date.now;
  const { shaTag, tags, version } = computeTags(opts.github, opts.extraTags);
  const labels = ociLabels(opts.github, { version, created: new Date(now()) });
  if (opts.target) labels[TARGET_LABEL] = opts.target;
  const { image } = opts;
  const base = { image: image.name, tags, labels, platform: opts.platform };
  log.info(`image ${image.name}, tags: ${tags.join(', ')}`);

  const registry = opts.push
    ? (deps.registry ?? (o => new RegistryClient(o)))({
        registry: image.registry,
        credentials: opts.credentials,
        tlsVerify: opts.tlsVerify
      })
    : undefined;
  const progress: Progress = {
    build: { builder: 'none', skipped: false, buildMs: 0, cachedSteps: 0, steps: 0 },
    pushedTags: []
  };
  const run: Run = { opts, deps, now, shaTag, base, progress };
  try {
    // Fails fast, before a long build, when the registry is unreachable or refuses the credentials.
    await registry?.login(image.repository);
    try {
      return (
        (registry && opts.skipExisting && (await reuseExisting(run, registry))) ||
        (await buildAndPush(run, registry))
      );
    } catch (error) {
      if (!(error instanceof RemoteError || error instanceof RegistryMismatchError)) throw error;
      const { build, pushedTags, digest } = progress;
      return {
        ...base,
        ...build,
        failure: { step: 'registry', message: errorMessage(error), output: [], pushedTags, digest }
      };
    }
  } finally {
    await registry?.close();
  }
}

/** skip-existing: the sha tag's image, when it is this build's (platform, stage), tagged with the other tags. */
async function reuseExisting(run: Run, registry: RegistryClient): Promise<BuildImageResult | undefined> {
  const { opts, deps, shaTag, base, progress } = run;
  const { image } = opts;
  const existing = await registry.getManifest(image.repository, shaTag);
  const reusable = existing && (await reusableImage(registry, image, existing, opts, deps.log));
  if (!existing || !reusable) return undefined;
  deps.log.info(
    `${taggedName(image, shaTag)} is already in the registry (${existing.digest}): reusing it, nothing to build`
  );
  progress.build.skipped = true; // nothing built: the rest of the initial facts stand
  progress.pushedTags = [shaTag];
  progress.digest = reusable.single.digest;
  await tagManifest(
    registry,
    image,
    existing,
    base.tags.filter(t => t !== shaTag),
    run
  );
  return {
    ...base,
    ...progress.build,
    labels: reusable.labels,
    digest: reusable.single.digest,
    ref: `${image.name}@${reusable.single.digest}`,
    sizeBytes: RegistryClient.imageSize(reusable.single.manifest)
  };
}

/** Builds (and pushes), then reads the pushed image back and adds the tags the builder did not push. */
async function buildAndPush(run: Run, registry: RegistryClient | undefined): Promise<BuildImageResult> {
  const { opts, deps, now, shaTag, base, progress } = run;
  const { log } = deps;
  const { image } = opts;
  const builder = await selectBuilder(opts.builder, deps);
  log.info(`builder: ${builder.name}`);
  progress.build.builder = builder.name;
  // What a SIGKILLed earlier run left (its auth.json above all) goes before this run writes its own.
  const builderEnv = deps.env ?? process.env;
  await removeStaleWorkDirs(
    log,
    builder.name === 'buildah' ? before => removeNewWorkingContainers(before, builderEnv) : undefined
  );
  const work = createWorkDir();
  const workDir = work.path;
  const req: BuildRequest = {
    image,
    tags: base.tags,
    context: opts.context,
    file: opts.file,
    platform: opts.platform,
    target: opts.target,
    buildArgs: opts.buildArgs,
    labels: base.labels,
    push: opts.push,
    tlsVerify: opts.tlsVerify,
    credentials: opts.push ? opts.credentials : undefined,
    workDir
  };
  const started = now();
  let outcome: BuildOutcome | BuildFailedError;
  try {
    await builder.login(req);
    try {
      outcome = await builder.build(req);
    } catch (error) {
      if (!(error instanceof BuildFailedError)) throw error;
      // The live output scrolled by inside a group; repeat its end, folded, next to the error.
      await log.group(`${builder.name} output (last ${FAILED_OUTPUT_LINES} lines)`, async () => {
        for (const line of error.output.slice(-FAILED_OUTPUT_LINES)) log.info(line);
      });
      outcome = error;
    } finally {
      // Cancelled, nothing new may start: removing the work dir removes the credentials all the same.
      if (!cancellation.cancelled) await builder.logout(req);
    }
  } finally {
    await work.remove();
  }
  progress.build.buildMs = now() - started;
  // A failed build or push step is this action's own failure: returned with what the summary shows.
  if (outcome instanceof BuildFailedError)
    return {
      ...base,
      ...progress.build,
      failure: {
        step: 'build',
        message: outcome.message,
        output: outcome.output.slice(-FAILED_OUTPUT_LINES),
        pushedTags: []
      }
    };
  log.info(
    `built in ${formatDuration(progress.build.buildMs)}; ${outcome.cachedSteps} of ${outcome.steps} steps from the layer cache`
  );
  progress.build.cachedSteps = outcome.cachedSteps;
  progress.build.steps = outcome.steps;
  progress.pushedTags = [...outcome.pushedTags];
  const result = { ...base, ...progress.build };
  if (!registry) return result;

  const pushed = await registry.getManifest(image.repository, shaTag);
  if (!pushed)
    throw new RegistryMismatchError(`${taggedName(image, shaTag)} is not in the registry after the push`);
  if (outcome.digest && outcome.digest !== pushed.digest)
    throw new RegistryMismatchError(
      `${builder.name} reports pushing ${outcome.digest} but the registry serves ${pushed.digest} for ${taggedName(image, shaTag)}`
    );
  const single = await singlePlatform(registry, image, pushed, opts.platform);
  progress.digest = single.digest;
  await tagManifest(
    registry,
    image,
    pushed,
    base.tags.filter(t => !outcome.pushedTags.includes(t)),
    run
  );
  return {
    ...result,
    labels: await imageLabels(registry, image, single),
    digest: single.digest,
    ref: `${image.name}@${single.digest}`,
    sizeBytes: RegistryClient.imageSize(single.manifest)
  };
}

export async function selectBuilder(kind: BuilderKind, deps: BuildImageDeps): Promise<Builder> {
  const builderDeps = { run: deps.run, log: deps.log, env: deps.env };
  if (kind === 'docker') return new DockerBuilder(builderDeps);
  if (kind === 'buildah') return new BuildahBuilder(builderDeps);
  return (await dockerAvailable(deps.run, deps.env))
    ? new DockerBuilder(builderDeps)
    : new BuildahBuilder(builderDeps);
}

/** An index (attestations, multi-arch) is resolved to the platform's image manifest: that is what deploys pin. */
async function singlePlatform(
  registry: RegistryClient,
  image: ImageName,
  top: ManifestInfo,
  platform: string
): Promise<ManifestInfo> {
  const single = await registry.getImageManifest(image.repository, top.digest, platform);
  if (!single) throw new RegistryMismatchError(`${image.name}@${top.digest} vanished from the registry`);
  if (!single.manifest.config)
    throw new RegistryMismatchError(
      `${image.name}@${single.digest} is not an image manifest (${single.mediaType})`
    );
  return single;
}

/** PUTs the manifest bytes under each tag, one after the other; each one done is in the run's pushed tags. */
async function tagManifest(
  registry: RegistryClient,
  image: ImageName,
  manifest: ManifestInfo,
  tags: string[],
  { deps, progress }: Run
): Promise<void> {
  for (const tag of tags) {
    const digest = await registry.putManifest(image.repository, tag, manifest.body, manifest.mediaType);
    if (digest !== manifest.digest)
      throw new RegistryMismatchError(
        `tagging ${taggedName(image, tag)} produced ${digest}, expected ${manifest.digest}`
      );
    progress.pushedTags.push(tag);
    deps.log.info(`tagged ${taggedName(image, tag)}`);
  }
}

/** The labels the image in the registry really carries (a reused image has the labels of its own build). */
async function imageLabels(
  registry: RegistryClient,
  image: ImageName,
  single: ManifestInfo
): Promise<Record<string, string>> {
  const config = await registry.getImageConfig(image.repository, single.manifest);
  return config.config?.Labels ?? {};
}

/**
 * The existing sha-tagged image, if it is an image for `platform`: a sha tag pushed earlier for another
 * platform (the input changed) must be rebuilt, not reused.
 */
async function reusableImage(
  registry: RegistryClient,
  image: ImageName,
  existing: ManifestInfo,
  { platform, target }: Pick<BuildImageOptions, 'platform' | 'target'>,
  log: Logger
): Promise<{ single: ManifestInfo; labels: Record<string, string> } | undefined> {
  let single: ManifestInfo;
  try {
    single = await singlePlatform(registry, image, existing, platform);
  } catch (error) {
    log.info(`not reusing ${image.name}@${existing.digest}: ${errorMessage(error)}`);
    return undefined;
  }
  const config = await registry.getImageConfig(image.repository, single.manifest);
  const [os, architecture] = platform.split('/');
  if (config.os !== os || config.architecture !== architecture) {
    log.info(
      `not reusing ${image.name}@${single.digest}: it is ${config.os}/${config.architecture}, not ${platform}`
    );
    return undefined;
  }
  const labels = config.config?.Labels ?? {};
  // The sha tag names a commit, not a stage: an image of another stage of that commit is not this build.
  if ((labels[TARGET_LABEL] ?? '') !== (target ?? '')) {
    const stage = (t: string | undefined) => (t ? `stage '${t}'` : 'the last stage');
    log.info(
      `not reusing ${image.name}@${single.digest}: it is ${stage(labels[TARGET_LABEL])}, not ${stage(target)}`
    );
    return undefined;
  }
  return { single, labels };
}
