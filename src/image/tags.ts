import { InputError } from '../kit/errors.js';
import type { GitHubContext } from './github-context.js';
import { isValidTag, slugTag } from './reference.js';

export const SHORT_SHA_LENGTH = 7;

export interface ComputedTags {
  /** `sha-<7>`: always present; what skip-existing looks for. */
  shaTag: string;
  /** Every tag in push order, sha tag first, without duplicates. */
  tags: string[];
  /** The most specific human version: `1.2.3`, the branch slug, `pr-12`, or the sha tag. */
  version: string;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Tags from the GitHub context, like docker/metadata-action's defaults plus a sha tag and `latest` on the
 * default branch: push to a branch -> `<branch-slug>` (+ `latest` on the default branch); tag `v1.2.3` ->
 * `1.2.3`, `1.2`, `1` (only `1.2.3-rc.1` for a pre-release; no bare `0` for 0.x, which promises nothing);
 * other tags -> their slug; pull request -> `pr-<n>`. `extra` tags are added last and must be valid.
 */
export function computeTags(ctx: GitHubContext, extra: string[] = []): ComputedTags {
  const sha = ctx.sha.trim().toLowerCase();
  if (!/^[0-9a-f]{7,64}$/.test(sha))
    throw new Error(
      `GITHUB_SHA is missing or not a commit id ('${ctx.sha}'): cannot compute the sha-<commit> tag`
    );
  const shaTag = `sha-${sha.slice(0, SHORT_SHA_LENGTH)}`;
  const tags: string[] = [shaTag];
  let version = shaTag;
  const isPullRequest = ctx.eventName === 'pull_request' || ctx.eventName === 'pull_request_target';

  if (isPullRequest) {
    if (ctx.prNumber !== undefined) {
      version = `pr-${ctx.prNumber}`;
      tags.push(version);
    }
  } else if (ctx.ref.startsWith('refs/heads/')) {
    const branch = ctx.ref.slice('refs/heads/'.length);
    const slug = slugTag(branch);
    if (slug) {
      version = slug;
      tags.push(slug);
    }
    if (ctx.defaultBranch !== undefined && branch === ctx.defaultBranch) tags.push('latest');
  } else if (ctx.ref.startsWith('refs/tags/')) {
    const gitTag = ctx.ref.slice('refs/tags/'.length);
    const semver = SEMVER.exec(gitTag);
    if (semver) {
      const [, major, minor, patch, pre] = semver;
      version = `${major}.${minor}.${patch}${pre ? `-${pre}` : ''}`;
      tags.push(slugTag(version));
      if (!pre) {
        tags.push(`${major}.${minor}`);
        if (major !== '0') tags.push(major!);
      }
    } else {
      const slug = slugTag(gitTag);
      if (slug) {
        version = slug;
        tags.push(slug);
      }
    }
  }

  for (const tag of extra) {
    if (!isValidTag(tag))
      throw new InputError(
        'tags',
        `has an invalid tag '${tag}' (up to 128 letters, digits, '_', '.', '-'; not starting with '.' or '-')`
      );
    tags.push(tag);
  }
  return { shaTag, tags: [...new Set(tags)], version };
}
