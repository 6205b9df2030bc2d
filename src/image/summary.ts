import { formatBytes } from '../kit/bytes.js';
import { formatDuration } from '../kit/duration.js';
import { codeBlock, details, facts } from '../kit/markdown.js';
import type { BuildImageResult } from './build-image.js';

/** The job summary: what was pushed, where, how big, how long, and whether the layer cache helped. */
export function buildSummaryMarkdown(r: BuildImageResult): string {
  const cache = r.skipped
    ? 'not built: sha tag already in the registry'
    : r.steps === 0
      ? 'no cacheable steps'
      : `${r.cachedSteps > 0 ? 'hit' : 'miss'} (${r.cachedSteps} of ${r.steps} steps reused)`;
  const parts = [
    '## Image',
    facts([
      ['image', r.image],
      ['digest', r.digest ? `\`${r.digest}\`` : 'not pushed'],
      ['ref', r.ref ? `\`${r.ref}\`` : undefined],
      ['tags', r.tags.map(t => `\`${t}\``).join(' ')],
      ['platform', r.platform],
      ['size (compressed)', r.sizeBytes !== undefined ? formatBytes(r.sizeBytes) : undefined],
      ['builder', r.builder === 'none' ? 'none (reused)' : r.builder],
      ['build time', r.skipped ? '0s (reused)' : formatDuration(r.buildMs)],
      ['layer cache', cache]
    ]),
    details(
      'Labels',
      codeBlock(
        Object.entries(r.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n')
      )
    )
  ];
  return parts.join('\n\n');
}
