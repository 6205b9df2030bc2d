import { registerCredentials } from '../kit/secrets.js';
import { cancellation } from '../kit/cancellation.js';
import { errorMessage } from '../kit/errors.js';
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
  /** The pushed single-platform image manifest digest; undefined when not pushed. */
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
  /** Set when the build or push step failed (no digest, no tags added): why, and the end of its output. */
  failure?: BuildFailure;
}

export interface BuildFailure {
  /** One line: the step and its error. */
  message: string;
  /** The last lines of the builder's output. */
  output: string[];
}

/**
 * Builds and pushes the image, or reuses the pushed `sha-<commit>` image (skip-existing), and returns the
 * digest read back from the registry. A failed build or push step is returned as `failure`; a registry that refuses
 * or cannot be reached, and a registry serving something else than was pushed, throw. Every tag ends up pointing at the same manifest bytes: the builder
 * pushes the sha tag, the other tags are PUT through the registry API from the manifest it serves.
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
  try {
    if (registry) {
      // Fails fast, before a long build, when the registry is unreachable or refuses the credentials.
      await registry.login(image.repository);
      if (opts.skipExisting) {
        const existing = await registry.getManifest(image.repository, shaTag);
        const reusable = existing && (await reusableImage(registry, image, existing, opts, log));
        if (existing && reusable) {
          log.info(
            `${taggedName(image, shaTag)} is already in the registry (${existing.digest}): reusing it, nothing to build`
          );
          await tagManifest(
            registry,
            image,
            existing,
            tags.filter(t => t !== shaTag),
            log
          );
          return {
            ...base,
            labels: reusable.labels,
            digest: reusable.single.digest,
            ref: `${image.name}@${reusable.single.digest}`,
            builder: 'none',
            skipped: true,
            sizeBytes: RegistryClient.imageSize(reusable.single.manifest),
            buildMs: 0,
            cachedSteps: 0,
            steps: 0
          };
        }
      }
    }

    const builder = await selectBuilder(opts.builder, deps);
    log.info(`builder: ${builder.name}`);
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
      tags,
      context: opts.context,
      file: opts.file,
      platform: opts.platform,
      target: opts.target,
      buildArgs: opts.buildArgs,
      labels,
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
    const buildMs = now() - started;
    // A failed build or push step is this action's own failure: returned with what the summary shows.
    if (outcome instanceof BuildFailedError)
      return {
        ...base,
        builder: builder.name,
        skipped: false,
        buildMs,
        cachedSteps: 0,
        steps: 0,
        failure: { message: outcome.message, output: outcome.output.slice(-FAILED_OUTPUT_LINES) }
      };
    log.info(
      `built in ${formatDuration(buildMs)}; ${outcome.cachedSteps} of ${outcome.steps} steps from the layer cache`
    );
    const result = {
      ...base,
      builder: builder.name,
      skipped: false,
      buildMs,
      cachedSteps: outcome.cachedSteps,
      steps: outcome.steps
    };
    if (!registry) return result;

    const pushed = await registry.getManifest(image.repository, shaTag);
    if (!pushed) throw new Error(`${taggedName(image, shaTag)} is not in the registry after the push`);
    if (outcome.digest && outcome.digest !== pushed.digest)
      throw new Error(
        `${builder.name} reports pushing ${outcome.digest} but the registry serves ${pushed.digest} for ${taggedName(image, shaTag)}`
      );
    const single = await singlePlatform(registry, image, pushed, opts.platform);
    await tagManifest(
      registry,
      image,
      pushed,
      tags.filter(t => !outcome.pushedTags.includes(t)),
      log
    );
    return {
      ...result,
      labels: await imageLabels(registry, image, single),
      digest: single.digest,
      ref: `${image.name}@${single.digest}`,
      sizeBytes: RegistryClient.imageSize(single.manifest)
    };
  } finally {
    await registry?.close();
  }
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
  if (!single) throw new Error(`${image.name}@${top.digest} vanished from the registry`);
  if (!single.manifest.config)
    throw new Error(`${image.name}@${single.digest} is not an image manifest (${single.mediaType})`);
  return single;
}

async function tagManifest(
  registry: RegistryClient,
  image: ImageName,
  manifest: ManifestInfo,
  tags: string[],
  log: Logger
): Promise<void> {
  for (const tag of tags) {
    const digest = await registry.putManifest(image.repository, tag, manifest.body, manifest.mediaType);
    if (digest !== manifest.digest)
      throw new Error(`tagging ${taggedName(image, tag)} produced ${digest}, expected ${manifest.digest}`);
    log.info(`tagged ${taggedName(image, tag)}`);
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
