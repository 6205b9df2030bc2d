import { formatDuration } from '../kit/duration.js';
import { facts, mermaidTimeline, table } from '../kit/markdown.js';
import { describeImage } from './app-platform-image.js';
import type { DeployOutcome } from './deploy-run.js';
import type { OperationReport } from './operations.js';

/** The job summary of a deploy or rollback: facts, phase durations and a Mermaid timeline. */
export function renderDeploySummary(o: DeployOutcome): string {
  const title =
    o.mode === 'rollback' ? 'Rollback' : o.mode === 'create' ? 'App created and deployed' : 'Deployment';
  const icon = o.success ? '✅' : '❌';
  const parts: string[] = [`## ${icon} ${title}: ${o.appName ?? o.outputs['app-id'] ?? ''}`];
  if (o.failure) parts.push(`> ${o.failure}`);
  parts.push(
    facts([
      ['App', o.outputs['app-id']],
      ['Deployment', o.outputs['deployment-id']],
      [
        o.mode === 'rollback' ? 'Rolled back from' : 'Previous deployment',
        o.outputs['previous-deployment-id']
      ],
      ['Rollback target', o.rollback?.targetDeploymentId],
      ['Committed', o.rollback ? String(o.rollback.committed) : undefined],
      ['Phase', o.outputs.phase],
      ['Component', o.edit ? `${o.edit.kind}/${o.edit.component}` : undefined],
      ['Image before', o.edit ? describeImage(o.edit.before) : undefined],
      ['Image now', o.edit ? describeImage(o.edit.after) : undefined],
      ['Live URL', o.outputs['live-url']],
      ['Waited', o.wait ? `${formatDuration(o.wait.elapsedMs)} (${o.wait.polls} polls)` : undefined],
      ['Total', formatDuration(o.durationMs)],
      [
        'Full logs',
        o.logFile ? `\`${o.logFile}\` (upload it with actions/upload-artifact to keep it)` : undefined
      ]
    ])
  );
  const phases = o.wait?.phases ?? [];
  if (phases.length) {
    parts.push(
      table(
        ['phase', 'duration'],
        phases.map(p => [p.phase, formatDuration(p.end - p.start)])
      )
    );
    parts.push(
      mermaidTimeline(
        `deployment ${o.outputs['deployment-id'] ?? ''}`,
        phases.map(p => ({
          section: 'phases',
          name: p.phase,
          start: p.start,
          end: p.end,
          status: p.phase === 'ERROR' || p.phase === 'CANCELED' ? ('crit' as const) : ('done' as const)
        }))
      )
    );
  }
  for (const note of o.notes) parts.push(`- ${note}`);
  return parts.join('\n\n');
}

/** The summary of a run refused before any deployment started (the preview cap). */
export function renderNotStartedSummary(reason: string): string {
  return `## ❌ Deployment not started\n\n> ${reason.replace(/\n/g, ' ')}`;
}

/** The summary of `delete`: one line per app deleted, kept or not found. */
export function renderDeleteSummary(lines: readonly string[]): string {
  return `## App Platform: delete\n\n${lines.map(l => `- ${l}`).join('\n')}`;
}

/** The job summary of an operation (rollback-commit, rollback-revert, list-deployments, logs, validate). */
export function renderOperationSummary(r: OperationReport): string {
  switch (r.kind) {
    case 'nothing-to-do':
      return `## ${r.message}`;
    case 'rollback-committed':
      return `## ✅ Rollback committed: ${r.app}\n\nDeployment \`${r.deploymentId}\` stays live; the app is no longer pinned.`;
    case 'rollback-reverted': {
      const icon = r.succeeded ? '✅' : '❌';
      return `## ${icon} Rollback reverted: ${r.app}\n\nDeployment \`${r.deploymentId}\`: ${r.phase} after ${formatDuration(r.elapsedMs)}.`;
    }
    case 'deployments':
      return `## Deployments of ${r.app} (newest ${r.rows.length})\n\n${table(['id', 'cause', 'phase', 'progress', 'created', 'release'], r.rows)}`;
    case 'logs':
      return `## Logs of deployment \`${r.deploymentId}\` (${r.app})\n\n${r.found ? 'Printed in the step log.' : 'No logs.'}`;
    case 'spec-valid':
      return `## ✅ App spec valid\n\n${r.lines.map(l => `- ${l}`).join('\n')}`;
    case 'spec-rejected':
      return `## ❌ App spec rejected\n\n> ${r.message}`;
  }
}
