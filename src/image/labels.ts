import type { GitHubContext } from './github-context.js';

/**
 * OCI annotations as image labels. `source` is what links a ghcr.io package to its repository (and so
 * gives the package the repository's visibility and Actions access).
 */
export function ociLabels(
  ctx: GitHubContext,
  opts: { version: string; created: Date }
): Record<string, string> {
  const labels: Record<string, string> = {
    'org.opencontainers.image.created': opts.created.toISOString(),
    'org.opencontainers.image.version': opts.version
  };
  if (ctx.sha) labels['org.opencontainers.image.revision'] = ctx.sha;
  if (ctx.repository) {
    const url = `${ctx.serverUrl}/${ctx.repository}`;
    labels['org.opencontainers.image.source'] = url;
    labels['org.opencontainers.image.url'] = url;
    labels['org.opencontainers.image.title'] = ctx.repository.split('/')[1] ?? ctx.repository;
  }
  return labels;
}
