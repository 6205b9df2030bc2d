// Which notification each failure of a release sends (issue 16, part 3): deploy.yml's Notify step decides it from
// the health gate's outputs, evaluated here by GitHub's expression engine. An OUTAGE (the rollback failed, or it
// ran and the restored version is unhealthy too) is never reported as a mere rollback.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asString, evaluateToken, type Json } from '../../test-support/workflow-runner/expressions.js';
import { loadWorkflow, rawGet, rawStep } from '../../test-support/workflow-runner/workflow.js';

const root = join(import.meta.dirname, '..', '..');

async function notifyEvent(steps: Record<string, Json>): Promise<string> {
  const wf = await loadWorkflow(
    'deploy.yml',
    readFileSync(join(root, '.github', 'workflows', 'deploy.yml'), 'utf8')
  );
  const job = wf.template.jobs.find(j => j.id.value === 'release') as {
    steps: { uses?: { value: string } }[];
  };
  const index = job.steps.findIndex(s => s.uses?.value.endsWith('/actions/notify'));
  expect(index).toBeGreaterThan(0);
  const withValues = evaluateToken(rawGet(rawStep(wf, 'release', index), 'with'), {
    inputs: { environment: 'production', image: '', digest: '' },
    secrets: {},
    vars: {},
    github: { sha: 'abc', repository: 'acme/app' },
    needs: { build: { result: 'success', outputs: { ref: 'ghcr.io/acme/app@sha256:1' } } },
    steps
  }) as Record<string, Json>;
  return asString(withValues.event!);
}

const gate = (outcome: string, outputs: Record<string, string>): Record<string, Json> => ({
  deploy: { outcome: 'success', outputs: { 'live-url': 'https://x' } },
  gate: { outcome, outputs }
});

describe('the notification a failed release sends', () => {
  it.each([
    [
      'rolled back, the restored version is healthy',
      gate('failure', { healthy: 'false', 'rolled-back': 'true', outage: 'false' }),
      'rollback'
    ],
    [
      'rolled back, the restored version is unhealthy too',
      gate('failure', { healthy: 'false', 'rolled-back': 'true', outage: 'true' }),
      'outage'
    ],
    [
      'the rollback failed',
      gate('failure', { healthy: 'false', 'rolled-back': 'false', outage: 'true' }),
      'outage'
    ],
    ['the gate failed before probing (no outage, nothing rolled back)', gate('failure', {}), 'deploy-failed'],
    [
      'the deploy failed (no gate)',
      { deploy: { outcome: 'failure', outputs: {} }, gate: { outcome: 'skipped', outputs: {} } },
      'deploy-failed'
    ]
  ])('%s', async (_what, steps, want) => {
    expect(await notifyEvent(steps)).toBe(want);
  });
});
