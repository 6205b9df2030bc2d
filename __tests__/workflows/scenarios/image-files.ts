/** The files of an image as the registry holds it: its manifest's layers, each listed by tar. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegistryServer } from '../../../test-support/shared.js';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json'
].join(', ');

export async function imageFiles(registry: RegistryServer, repository: string, digest: string) {
  const auth = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
  const get = async (path: string, accept?: string) => {
    const res = await fetch(`${registry.url}/v2/${repository}/${path}`, {
      headers: { authorization: auth, ...(accept ? { accept } : {}) }
    });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  };
  const manifest = JSON.parse((await get(`manifests/${digest}`, MANIFEST_TYPES)).toString()) as {
    layers: { digest: string }[];
  };
  const dir = mkdtempSync(join(tmpdir(), 'image-layers-'));
  try {
    const files: string[] = [];
    for (const layer of manifest.layers) {
      const file = join(dir, layer.digest.replace(':', '-'));
      writeFileSync(file, await get(`blobs/${layer.digest}`));
      // tar reads gzip and plain layers alike
      files.push(...execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n').filter(Boolean));
    }
    return files.map(f => f.replace(/^\.?\//, ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
