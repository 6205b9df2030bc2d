import { formatBytes } from '../kit/bytes.js';
import { formatDuration } from '../kit/duration.js';
import { codeBlock, details, facts } from '../kit/markdown.js';
import type { BuildFailure, BuildImageResult } from './build-image.js';

/**
 * The step summary: what was pushed, where, how big, how long, and whether the layer cache helped; for a failed
 * build or push step, why, with the end of the builder's output; for a registry that refused or failed after the
 * login, why (the call, the server's message and request id) and what was pushed by then.
 */
export function buildImageSummary(r: BuildImageResult): string[] {
  if (r.failure) return buildFailedSummary(r, r.failure);
  const cache = r.skipped
    ? 'not built: sha tag already in the registry'
    : r.steps === 0
      ? 'no cacheable steps'
      : `${r.cachedSteps > 0 ? 'hit' : 'miss'} (${r.cachedSteps} of ${r.steps} steps reused)`;
  return [
    '## Image',
    facts([
      ['image', r.image],
      ['digest', r.digest ? `\`${r.digest}\`` : 'not pushed'],
      ['ref', r.ref ? `\`${r.ref}\`` : undefined],
      ['tags', tagList(r.tags)],
      ['platform', r.platform],
      ['size (compressed)', r.sizeBytes !== undefined ? formatBytes(r.sizeBytes) : undefined],
      ['builder', r.builder === 'none' ? 'none (reused)' : r.builder],
      ['build time', r.skipped ? '0s (reused)' : formatDuration(r.buildMs)],
      ['layer cache', cache]
    ]),
    details('Labels', labelBlock(r.labels))
  ];
}

function buildFailedSummary(r: BuildImageResult, failure: BuildFailure): string[] {
  const registry = failure.step === 'registry';
  const sections = [
    '## Image: FAILED',
    `**${failure.message}**`,
    facts([
      ['image', r.image],
      ['tags', tagList(r.tags)],
      // What the registry already holds of this run; nothing is output, so no later step takes it.
      [
        'pushed',
        registry ? (failure.pushedTags.length ? tagList(failure.pushedTags) : 'nothing') : undefined
      ],
      ['digest', failure.digest ? `\`${failure.digest}\` (not output: the step failed)` : undefined],
      ['platform', r.platform],
      ['builder', r.builder === 'none' ? (r.skipped ? 'none (reused)' : 'none (nothing built)') : r.builder],
      registry
        ? ['build time', r.builder === 'none' ? undefined : formatDuration(r.buildMs)]
        : ['time until the failure', formatDuration(r.buildMs)]
    ])
  ];
  // A registry failure comes after the builder's push: its output says nothing about it.
  if (!registry)
    sections.push(
      details(
        `${r.builder} output (last ${failure.output.length} lines)`,
        codeBlock(failure.output.join('\n'))
      )
    );
  return sections;
}

const tagList = (tags: string[]) => tags.map(t => `\`${t}\``).join(' ');

const labelBlock = (labels: Record<string, string>) =>
  codeBlock(
    Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')
  );
