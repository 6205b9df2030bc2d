// Builds the example app's rehearsal image (FROM scratch: sources + config Env) with buildah and pushes it to
// the local registry, so the simulator can "pull" a real image by digest. Storage in a private temp dir.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface PushedImage {
  /** e.g. 127.0.0.1:5000/acme/signupflow@sha256:... */
  ref: string;
  digest: string;
  /** The `image` block of an app spec pointing at it (GHCR stands in for the local registry). */
  source: { registry_type: 'GHCR'; registry: string; repository: string; digest: string };
}

export interface RegistryLike {
  host: string;
  username: string;
  password: string;
}

export class ImageBuilder {
  private readonly dir = mkdtempSync(join(tmpdir(), 'sim-buildah-'));

  constructor(
    private readonly registry: RegistryLike,
    private readonly contextDir: string
  ) {}

  private args(): string[] {
    return ['--storage-driver', 'vfs', '--root', join(this.dir, 'root'), '--runroot', join(this.dir, 'run')];
  }

  async push(owner: string, repository: string, buildArgs: Record<string, string>): Promise<PushedImage> {
    const name = `${this.registry.host}/${owner}/${repository}`;
    const tag = `${name}:${buildArgs.APP_VERSION ?? 'latest'}`;
    const ba = Object.entries(buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
    await exec(
      'buildah',
      [...this.args(), 'build', '--quiet', '-f', 'Dockerfile.rehearsal', ...ba, '-t', tag, '.'],
      {
        cwd: this.contextDir
      }
    );
    const digestFile = join(this.dir, `digest-${Date.now()}`);
    await exec('buildah', [
      ...this.args(),
      'push',
      '--quiet',
      '--tls-verify=false',
      '--creds',
      `${this.registry.username}:${this.registry.password}`,
      '--digestfile',
      digestFile,
      tag,
      `docker://${tag}`
    ]);
    const digest = readFileSync(digestFile, 'utf8').trim();
    return {
      ref: `${name}@${digest}`,
      digest,
      source: { registry_type: 'GHCR', registry: owner, repository, digest }
    };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
