/** The repositories a scenario runs with: this pipeline repository (the files at hand) and a caller's. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RepositoryDefinition } from './stand-ins.js';

export const PIPELINE_ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');

/** This repository at its HEAD commit (the working tree, so uncommitted changes are what runs). */
export function pipelineRepository(
  visibility: RepositoryDefinition['visibility'] = 'public'
): RepositoryDefinition {
  const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PIPELINE_ROOT, encoding: 'utf8' }).trim();
  return { dir: PIPELINE_ROOT, visibility, sha };
}

/**
 * The README's caller workflows, verbatim: each ```yaml block that starts with
 * `# .github/workflows/<file> in your repository`, keyed by <file>.
 */
export function readmeCallers(readme = join(PIPELINE_ROOT, 'README.md')): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of readFileSync(readme, 'utf8').matchAll(
    /```yaml\n(# \.github\/workflows\/([\w.-]+) in your repository\n[\s\S]*?)```/g
  ))
    out[m[2]!] = m[1]!;
  return out;
}
