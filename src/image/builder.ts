import type { Logger } from '../kit/log.js';
import type { RunCommand } from './command.js';
import type { ImageName } from './reference.js';
import type { RegistryCredentials } from './registry.js';

/** What to build; the same for every builder. Paths are absolute. */
export interface BuildRequest {
  image: ImageName;
  /** Tags to build with; `tags[0]` is the sha tag. */
  tags: string[];
  context: string;
  file: string;
  platform: string;
  /** Multi-stage build target (a checked stage name, spelled as in the Dockerfile); the last stage when undefined. */
  target?: string;
  /** `NAME=value` */
  buildArgs: string[];
  labels: Record<string, string>;
  push: boolean;
  tlsVerify: boolean;
  credentials?: RegistryCredentials;
  /** A private temporary directory for auth, digest and metadata files. */
  workDir: string;
}

export interface BuildOutcome {
  /** The manifest digest the builder says it pushed (checked against the registry afterwards). */
  digest?: string;
  /** Tags the builder pushed itself; the rest are added through the registry API. */
  pushedTags: string[];
  /** Build steps reused from the layer cache, out of `steps`. */
  cachedSteps: number;
  steps: number;
}

export type BuilderName = 'buildah' | 'docker';

export interface Builder {
  readonly name: BuilderName;
  login(req: BuildRequest): Promise<void>;
  /** Builds, and when `req.push`, pushes. Throws BuildFailedError with the build output. */
  build(req: BuildRequest): Promise<BuildOutcome>;
  logout(req: BuildRequest): Promise<void>;
}

export interface BuilderDeps {
  run: RunCommand;
  log: Logger;
  env?: NodeJS.ProcessEnv;
}

/** A failed build or push: the message is one line; `output` is the whole output, for a folded group. */
export class BuildFailedError extends Error {
  constructor(
    message: string,
    readonly output: string[]
  ) {
    super(message);
    this.name = 'BuildFailedError';
  }
}

/** Login failures: the registry refused the credentials or could not be reached. */
export class LoginFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginFailedError';
  }
}

/** `registry/repo:tag`: a name a builder tags and pushes (not a digest reference). */
export const taggedName = (image: ImageName, tag: string): string => `${image.name}:${tag}`;

export function labelArgs(labels: Record<string, string>): string[] {
  return Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
}

export function targetArgs(req: BuildRequest): string[] {
  return req.target ? ['--target', req.target] : [];
}

export function buildArgArgs(buildArgs: string[]): string[] {
  return buildArgs.flatMap(a => ['--build-arg', a]);
}
