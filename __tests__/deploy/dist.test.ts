/**
 * Runs the committed bundle dist/deploy-app-platform/index.js as a process, the way the runner does
 * (INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), against the scripted fake API.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakePlatform, sampleSpec } from './fake-api.js';

const TOKEN = 'dop_v1_distprocesstoken5555aaaa';
const D = `sha256:${'e'.repeat(64)}`;
const fake = new FakePlatform();
beforeAll(() => fake.start());
afterAll(() => fake.stop());

/** Async spawn: the fake API lives in this process, so the test must not block its event loop. */
function exec(
  env: Record<string, string>
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/deploy-app-platform/index.js'], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('error', reject);
    child.on('close', status => resolve({ status, stdout, stderr }));
  });
}

async function run(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-dist-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir
  };
  for (const [k, v] of Object.entries({
    'api-url': fake.url,
    'poll-interval': '100ms',
    timeout: '30s',
    ...inputs
  }))
    env[`INPUT_${k.toUpperCase()}`] = v;
  const res = await exec(env);
  const outputs: Record<string, string> = {};
  const text = readFileSync(outputFile, 'utf8');
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  const all = `${res.stdout}${res.stderr}${text}${readFileSync(summaryFile, 'utf8')}`;
  return {
    status: res.status,
    stdout: res.stdout,
    outputs,
    summary: readFileSync(summaryFile, 'utf8'),
    all,
    errors: res.stdout.split('\n').filter(l => l.startsWith('::error::'))
  };
}

describe('dist/deploy-app-platform as a process', () => {
  test('deploys an image: outputs, summary with timeline, token masked', async () => {
    const app = fake.addApp(sampleSpec('dist-app'));
    const before = app.activeId;
    const r = await run({ token: TOKEN, 'app-id': app.id, image: `ghcr.io/signupflow/app@${D}` });
    expect(r.errors).toEqual([]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.outputs.app!)).toMatchObject({ id: app.id });
    expect(r.outputs).toEqual({
      app: r.outputs.app,
      'app-id': app.id,
      'previous-deployment-id': before,
      'deployment-id': app.activeId,
      phase: 'ACTIVE',
      'live-url': 'https://dist-app.ondigitalocean.app'
    });
    expect(r.summary).toContain('```mermaid');
    expect(r.summary).toContain('Deployment: dist-app');
    expect(r.stdout).toContain(`::add-mask::${TOKEN}`);
    expect(r.all.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
  });

  test('a failed deployment sets its outputs, then fails with the step reason', async () => {
    const app = fake.addApp(sampleSpec('dist-fail'));
    fake.nextScript = ['PENDING_BUILD', 'ERROR'];
    fake.nextError = { code: 'PreDeployJobFailed', message: 'the pre-deploy job migrate failed' };
    fake.nextLogs = { DEPLOY: "migrate alembic.util.exc.CommandError: Can't locate revision\n" };
    const r = await run({ token: TOKEN, 'app-id': app.id, image: `ghcr.io/signupflow/app@${D}` });
    fake.nextScript = ['PENDING_BUILD', 'DEPLOYING', 'ACTIVE'];
    fake.nextError = undefined;
    fake.nextLogs = undefined;
    expect(r.status).toBe(1);
    expect(r.outputs.phase).toBe('ERROR');
    expect(r.outputs['deployment-id']).toBe(app.deployments[0]!.id);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(
      /ended in phase ERROR at step "Deploying service web" \[PreDeployJobFailed\]: the pre-deploy job migrate failed/
    );
    expect(r.stdout).toContain('::group::DEPLOY logs');
    expect(r.stdout).toContain("CommandError: Can't locate revision");
    expect(r.summary).toMatch(/deploy-.*\.log/);
  });

  test.each([
    [{}, "Input 'token' is required: a DigitalOcean API token with app read/write scope"],
    [
      { token: TOKEN, 'app-id': 'x', image: 'ghcr.io/signupflow/app' },
      "Input 'image' is not a usable image reference ('ghcr.io/signupflow/app'): add a digest"
    ],
    [
      { token: TOKEN, 'app-id': 'x', image: 'ghcr.io/signupflow/app@sha256:123' },
      "Input 'image' is not a usable image reference"
    ],
    [
      { token: TOKEN, 'app-id': 'x', image: `ghcr.io/o/a@${D}`, timeout: 'soon' },
      "Input 'timeout' must be a duration"
    ],
    [
      { token: TOKEN, 'app-id': 'x', image: `ghcr.io/o/a@${D}`, 'print-logs': 'sometimes' },
      "Input 'print-logs' must be one of on-failure, always, never"
    ],
    [
      { token: TOKEN, 'app-id': 'x', image: `ghcr.io/o/a@${D}`, 'registry-credentials': 'no-colon-at-all' },
      "Input 'registry-credentials' must be <username>:<token>"
    ],
    [{ token: TOKEN, 'app-id': 'x' }, "Input 'image' is required unless app-spec"],
    [
      { token: TOKEN, 'app-name': 'x', 'app-spec': '/nonexistent/app.yaml' },
      "Input 'app-spec' cannot be read: ENOENT"
    ]
  ])('bad input %j fails with one line naming it', async (inputs, message) => {
    const r = await run(inputs as Record<string, string>);
    expect(r.status).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.startsWith(`::error::${message}`)).toBe(true);
    expect(r.all.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
  });

  test('unknown component fails naming the input and the components that exist', async () => {
    const app = fake.addApp(sampleSpec('dist-comp'));
    const r = await run({
      token: TOKEN,
      'app-id': app.id,
      image: `ghcr.io/signupflow/app@${D}`,
      component: 'api'
    });
    expect(r.status).toBe(1);
    expect(r.errors).toEqual([
      "::error::Input 'component' 'api' is not a service, worker or job of app 'dist-comp' (services: web; workers: (none); jobs: migrate)"
    ]);
  });

  test('an API error names the call, the server message and the request id', async () => {
    const r = await run({ token: TOKEN, 'app-id': 'no-such-app', image: `ghcr.io/signupflow/app@${D}` });
    expect(r.status).toBe(1);
    // Thrown before any deployment exists: the kit's summary names the refused call (issue 19).
    expect(r.summary).toMatch(
      /## Failed: GET \/v2\/apps\/no-such-app\n\nGET \/v2\/apps\/no-such-app failed: HTTP 404/
    );
    expect(r.errors[0]).toMatch(
      /^::error::GET \/v2\/apps\/no-such-app failed: HTTP 404 not_found - The resource you requested could not be found\. \(request id [0-9a-f-]{36}\)$/
    );
  });

  describe('the step summary says why a run failed', () => {
    test('a failed deployment: the deploy summary, its reason and the failing phase', async () => {
      const app = fake.addApp(sampleSpec('dist-sum-fail'));
      fake.nextScript = ['PENDING_BUILD', 'ERROR'];
      fake.nextError = { code: 'BuildJobFailed', message: 'the build failed' };
      const r = await run({ token: TOKEN, 'app-id': app.id, image: `ghcr.io/signupflow/app@${D}` });
      fake.nextScript = ['PENDING_BUILD', 'DEPLOYING', 'ACTIVE'];
      fake.nextError = undefined;
      expect(r.status).toBe(1);
      expect(r.summary).toMatch(
        /^## ❌ Deployment: dist-sum-fail\n\n> Deployment \S+ ended in phase ERROR .*the build failed/
      );
      expect(r.summary).toContain('| **Phase** | ERROR |');
      expect(r.errors).toHaveLength(1);
    });

    test('an API call refused before any deployment: the call, the server message and the request id', async () => {
      const r = await run({ token: TOKEN, 'app-id': 'gone-app', image: `ghcr.io/signupflow/app@${D}` });
      expect(r.status).toBe(1);
      expect(r.summary).toMatch(
        /^## Failed: GET \/v2\/apps\/gone-app\n\nGET \/v2\/apps\/gone-app failed: HTTP 404 not_found - .*\(request id [0-9a-f-]{36}\)/
      );
    });

    test('an input error: the summary names the input and what is wrong with it', async () => {
      const r = await run({ token: TOKEN, 'app-id': 'x', image: 'ghcr.io/signupflow/app' });
      expect(r.status).toBe(1);
      expect(r.summary).toMatch(
        /^## Failed: input `image`\n\nInput 'image' is not a usable image reference \('ghcr.io\/signupflow\/app'\): add a digest/
      );
      expect(r.summary).toContain('Fix the input `image` and re-run.');
    });
  });
});
