/**
 * deploy-app-platform's preview and delete modes (issue 16) against the App Platform simulator: a PR's preview is
 * created as its own app beside production (two apps at once), from the same spec file, with the preview name,
 * no domains, one small instance and a development database bound for the PRE_DEPLOY job; the cap refuses one
 * more with a clear message; delete is idempotent; the sweep deletes previews whose PR is not open.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { previewAppName } from '../../src/digitalocean/preview-spec.js';
import { appSpec, health, startHarness, type Harness } from '../simulator/harness.js';

let h: Harness;
let specPath = '';
let productionId = '';

beforeAll(async () => {
  h = await startHarness({ v1: {} }, { phaseDelayMs: 50 });
  const production = appSpec('signupflow', h.images.v1!.source, {
    domains: [{ domain: 'signupflow.example.org', type: 'PRIMARY' }],
    alerts: [{ rule: 'DEPLOYMENT_FAILED' }],
    jobs: [
      {
        name: 'migrate',
        kind: 'PRE_DEPLOY',
        image: h.images.v1!.source,
        run_command: 'alembic -c alembic.ini upgrade head',
        envs: [{ key: 'DATABASE_URL', type: 'SECRET', scope: 'RUN_TIME', value: '${DATABASE_URL}' }]
      }
    ]
  });
  productionId = (await h.sim.seedApp(production as never)).id as string;
  const dir = mkdtempSync(join(tmpdir(), 'preview-spec-'));
  specPath = join(dir, 'app.yaml');
  writeFileSync(specPath, stringify(production));
}, 300_000);
afterAll(() => h?.close());

async function runDist(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'preview-'));
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    RUNNER_TEMP: dir,
    GITHUB_REPOSITORY: 'acme/signupflow',
    GITHUB_HEAD_REF: 'feature/x',
    ...files
  };
  const all = {
    token: h.sim.token,
    'api-url': h.sim.url,
    'poll-interval': '250ms',
    timeout: '2m',
    ...inputs
  };
  for (const [k, v] of Object.entries(all)) env[`INPUT_${k.toUpperCase()}`] = v;
  const child = spawn(process.execPath, ['dist/deploy-app-platform/index.js'], { env });
  let stdout = '';
  child.stdout.on('data', d => (stdout += d));
  child.stderr.on('data', d => (stdout += d));
  const status = await new Promise<number | null>(resolve => child.on('close', resolve));
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(files.GITHUB_OUTPUT, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    outputs[m[1]!] = m[3]!;
  return { status, stdout, outputs, summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') };
}

const appsNamed = (name: string) => [...h.sim.apps.values()].filter(a => a.spec.name === name);
const ref = () => `ghcr.io/acme/signupflow@${h.images.v1!.digest}`;

describe('preview apps', () => {
  const name7 = previewAppName('acme', 'signupflow', 7);

  test('a PR preview is its own app beside production, from the same spec, reduced and on a development database', async () => {
    const r = await runDist({ 'app-spec': specPath, image: ref(), 'preview-pr': '7' });
    expect(r.stdout).not.toMatch(/::error::/);
    expect(r.status).toBe(0);
    const [preview] = appsNamed(name7);
    expect(preview).toBeDefined();
    expect(r.outputs['app-id']).toBe(preview!.id);
    expect(preview!.id).not.toBe(productionId);
    expect(h.sim.apps.get(productionId)!.spec.name).toBe('signupflow');
    const spec = preview!.spec as unknown as Record<string, unknown> & {
      services: Record<string, unknown>[];
      jobs: { envs: unknown[] }[];
    };
    expect(spec).not.toHaveProperty('domains');
    expect(spec).not.toHaveProperty('alerts');
    expect(spec.services[0]).toMatchObject({ instance_count: 1, instance_size_slug: 'apps-s-1vcpu-0.5gb' });
    expect(spec.databases).toEqual([{ name: 'db', engine: 'PG', production: false }]);
    expect(spec.jobs[0]!.envs).toContainEqual(
      expect.objectContaining({ key: 'DATABASE_URL', value: '${db.DATABASE_URL}' })
    );
    expect((await health(r.outputs['live-url']!)).status).toBe(200);
  }, 180_000);

  test('a second push updates the same preview (no second app)', async () => {
    const r = await runDist({ 'app-spec': specPath, image: ref(), 'preview-pr': '7' });
    expect(r.status).toBe(0);
    expect(appsNamed(name7)).toHaveLength(1);
  }, 180_000);

  test('the cap refuses a new preview with a message naming the live ones, and never an update', async () => {
    const refused = await runDist({
      'app-spec': specPath,
      image: ref(),
      'preview-pr': '8',
      'max-previews': '1'
    });
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toContain(
      `::error::No preview for PR #8: 1 previews are live, the cap (max-previews) is 1 (#7 ${name7}). Close or merge a pull request`
    );
    expect(appsNamed(previewAppName('acme', 'signupflow', 8))).toHaveLength(0);
    const update = await runDist({
      'app-spec': specPath,
      image: ref(),
      'preview-pr': '7',
      'max-previews': '1'
    });
    expect(update.status).toBe(0);
  }, 180_000);

  test('the sweep deletes previews whose PR is not open and keeps the others and production', async () => {
    expect((await runDist({ 'app-spec': specPath, image: ref(), 'preview-pr': '9' })).status).toBe(0);
    const r = await runDist({ delete: 'closed-previews', 'open-prs': '7, 12' });
    expect(r.status).toBe(0);
    expect(r.summary).toContain(`Deleted preview ${previewAppName('acme', 'signupflow', 9)}`);
    expect(r.summary).toContain(`Kept preview ${name7}: PR #7 is open`);
    expect(appsNamed(previewAppName('acme', 'signupflow', 9))).toHaveLength(0);
    expect(appsNamed(name7)).toHaveLength(1);
    expect(h.sim.apps.has(productionId)).toBe(true);
  }, 180_000);

  test('closing the PR deletes its preview; deleting again is fine', async () => {
    const first = await runDist({ delete: 'true', 'preview-pr': '7' });
    expect(first.status).toBe(0);
    expect(first.summary).toContain('Deleted app');
    expect(appsNamed(name7)).toHaveLength(0);
    const again = await runDist({ delete: 'true', 'preview-pr': '7' });
    expect(again.status).toBe(0);
    expect(again.summary).toContain(`Nothing to delete: no app named ${name7}`);
    expect(h.sim.apps.has(productionId)).toBe(true);
  }, 60_000);

  test('delete by a stale app id answers 404 from the API and is still fine', async () => {
    const r = await runDist({ delete: 'true', 'app-id': '00000000-0000-4000-8000-000000000000' });
    expect(r.status).toBe(0);
    expect(r.summary).toContain('was already deleted');
  }, 60_000);

  test('bad inputs name the input', async () => {
    const r = await runDist({ image: ref(), 'preview-pr': 'abc' });
    expect(r.stdout.trim().split('\n').at(-1)).toBe(
      "::error::Input 'preview-pr' must be a pull request number, got 'abc'"
    );
    const s = await runDist({ image: ref(), 'preview-pr': '3' });
    expect(s.stdout).toContain("::error::Input 'preview-pr' needs app-spec");
  });
});
