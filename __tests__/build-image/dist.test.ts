import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseOutputFile } from '../../bin/cli.js';
import { sharedRegistry, type RegistryServer } from '../../test-support/shared.js';
import { buildahStorage, type BuildahStorage } from './buildah-storage.js';
import { headDigest, imageConfig } from './registry-http.js';
import { refusingProxy } from './refusing-proxy.js';

// The committed bundle, run as GitHub runs it: `node dist/build-image/index.js` with INPUT_* variables.
const bundle = resolve(import.meta.dirname, '../../dist/build-image/index.js');
let reg: RegistryServer;
let storage: BuildahStorage;
let work: string;
const repository = `dist-test/app-${randomBytes(3).toString('hex')}`;

interface Run {
  code: number;
  lines: string[];
  outputs: Record<string, string>;
  summary: string;
}

function runBundle(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const dir = mkdtempSync(join(work, 'run-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  writeFileSync(outputFile, '');
  const eventFile = join(dir, 'event.json');
  writeFileSync(eventFile, JSON.stringify({ repository: { default_branch: 'main' } }));
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CONTAINERS_STORAGE_CONF: storage.env.CONTAINERS_STORAGE_CONF,
    GITHUB_WORKSPACE: work,
    GITHUB_REPOSITORY: 'Acme-Church/SignUpFlow',
    GITHUB_SHA: '7e57ab1e0000000000000000000000000000beef',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...env
  };
  for (const [k, v] of Object.entries(inputs)) childEnv[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [bundle], { env: childEnv, cwd: work });
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (out += d));
    child.on('error', reject);
    child.on('close', code =>
      resolveRun({
        code: code ?? 1,
        lines: out.split('\n'),
        outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
        summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : ''
      })
    );
  });
}

/** Lines that would reach the log: the runner consumes `::add-mask::` itself. */
const visible = (r: Run) => r.lines.filter(l => !l.startsWith('::add-mask::'));

beforeAll(async () => {
  reg = await sharedRegistry();
  storage = buildahStorage();
  work = mkdtempSync(join(tmpdir(), 'build-image-dist-'));
  mkdirSync(join(work, 'app'));
  writeFileSync(join(work, 'app', 'hello.txt'), 'hello from the bundle\n');
  writeFileSync(
    join(work, 'app', 'Dockerfile'),
    'FROM scratch\nARG VERSION=dev\nCOPY hello.txt /hello.txt\nLABEL app.version=$VERSION\n'
  );
  writeFileSync(join(work, 'app', 'Broken.Dockerfile'), 'FROM scratch\nCOPY no-such-file.txt /x\n');
  writeFileSync(
    join(work, 'app', 'Stages.Dockerfile'),
    'FROM scratch AS Tools\nCOPY hello.txt /tools.txt\nLABEL stage=tools\n\n' +
      'FROM scratch AS runtime\nCOPY hello.txt /hello.txt\nLABEL stage=runtime\n'
  );
});

afterAll(() => {
  storage?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

const base = () => ({
  image: `${reg.host}/${repository}`,
  context: 'app',
  file: 'app/Dockerfile',
  'registry-username': reg.username,
  'registry-password': reg.password,
  'tls-verify': 'false',
  builder: 'buildah',
  'build-args': 'VERSION=7e57ab1'
});

describe('dist/build-image as a process', () => {
  it('builds, pushes and sets image, digest, ref and tags outputs plus a summary', async () => {
    const r = await runBundle(base());
    expect(r.code).toBe(0);
    expect(r.outputs.image).toBe(`${reg.host}/${repository}`);
    expect(r.outputs.tags!.split('\n')).toEqual(['sha-7e57ab1', 'main', 'latest']);
    expect(r.outputs.digest).toBe(await headDigest(reg, repository, 'sha-7e57ab1'));
    expect(r.outputs.ref).toBe(`${reg.host}/${repository}@${r.outputs.digest}`);
    const config = await imageConfig(reg, repository, r.outputs.digest!);
    expect(config.config.Labels?.['app.version']).toBe('7e57ab1');
    expect(r.summary).toContain('## Image');
    expect(r.summary).toContain(r.outputs.digest);
    expect(r.summary).toMatch(/\*\*layer cache\*\* \| (hit|miss) \(\d+ of 3 steps reused\)/);
    for (const line of visible(r)) expect(line).not.toContain(reg.password);
  });

  it('a wrong password exits 1 with one clear error line, the password nowhere in the log', async () => {
    const wrong = `nope-${randomBytes(6).toString('hex')}`;
    const r = await runBundle(
      { ...base(), 'registry-password': wrong },
      { GITHUB_SHA: '0ddba11000000000000000000000000000000000' }
    );
    expect(r.code).toBe(1);
    const errors = r.lines.filter(l => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/failed: HTTP 401 UNAUTHORIZED - authentication refused/);
    for (const line of visible(r)) expect(line).not.toContain(wrong);
    expect(r.outputs.digest).toBeUndefined();
  });

  it('a missing Dockerfile names the file input', async () => {
    const r = await runBundle({ ...base(), file: 'app/Containerfile' });
    expect(r.code).toBe(1);
    expect(r.lines).toContain(
      `::error::Input 'file' 'app/Containerfile' does not exist (looked for ${join(work, 'app', 'app/Containerfile')} and ${join(work, 'app/Containerfile')})`
    );
  });

  it('a bad builder value names the builder input', async () => {
    const r = await runBundle({ ...base(), builder: 'kaniko' });
    expect(r.code).toBe(1);
    expect(r.lines).toContain("::error::Input 'builder' must be one of auto, docker, buildah, got 'kaniko'");
  });

  it('target builds that stage (a named, non-last one) and skip-existing never reuses another stage', async () => {
    const stages = { ...base(), file: 'app/Stages.Dockerfile', 'build-args': '' };
    const env = { GITHUB_SHA: '5ca1ab1e00000000000000000000000000000000' };
    const tools = await runBundle({ ...stages, target: 'tools' }, env);
    expect(tools.lines.filter(l => l.startsWith('::error')).join('\n')).toBe('');
    expect(tools.code).toBe(0);
    const toolsConfig = await imageConfig(reg, repository, tools.outputs.digest!);
    expect(toolsConfig.config.Labels).toMatchObject({
      stage: 'tools',
      'app-platform-pipeline.build-target': 'Tools'
    });

    // Same commit, no target: the sha tag holds the tools stage, so the last stage is built, not reused.
    const last = await runBundle(stages, env);
    expect(last.code).toBe(0);
    expect(last.lines.some(l => /not reusing .*: it is stage 'Tools', not the last stage/.test(l))).toBe(
      true
    );
    expect(last.outputs.digest).not.toBe(tools.outputs.digest);
    const lastConfig = await imageConfig(reg, repository, last.outputs.digest!);
    expect(lastConfig.config.Labels?.stage).toBe('runtime');
    expect(lastConfig.config.Labels?.['app-platform-pipeline.build-target']).toBeUndefined();
    expect(await headDigest(reg, repository, 'sha-5ca1ab1')).toBe(last.outputs.digest);
  });

  it('a target the Dockerfile does not have, or not a stage name, names the target input before building', async () => {
    const stages = { ...base(), file: 'app/Stages.Dockerfile' };
    const missing = await runBundle({ ...stages, target: 'runtim' });
    expect(missing.code).toBe(1);
    expect(missing.lines).toContain(
      `::error::Input 'target' no stage 'runtim' in ${join(work, 'app', 'Stages.Dockerfile')} (stages: Tools, runtime)`
    );
    expect(missing.lines.some(l => l.startsWith('::group::buildah'))).toBe(false);
    const bad = await runBundle({ ...stages, target: '--push' });
    expect(bad.code).toBe(1);
    expect(bad.lines.filter(l => l.startsWith('::error::'))).toEqual([
      "::error::Input 'target' '--push' is not a stage name (letters, digits, '-', '_', '.'; starts with a letter)"
    ]);
  });

  it('a failing build step fails the step with one error line and a summary saying why, and sets no outputs', async () => {
    const r = await runBundle(
      { ...base(), file: 'app/Broken.Dockerfile', 'build-args': '' },
      { GITHUB_SHA: 'b0b0b0b000000000000000000000000000000000' }
    );
    expect(r.code).toBe(1);
    const errors = r.lines.filter(l => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::buildah build failed \(exit code \d+\): .*no-such-file\.txt/);
    expect(r.summary).toContain('## Image: FAILED');
    expect(r.summary).toMatch(/\*\*buildah build failed \(exit code \d+\): .*no-such-file\.txt.*\*\*/);
    expect(r.summary).toContain(`| **image** | ${reg.host}/${repository} |`);
    expect(r.summary).toMatch(
      /<summary>buildah output \(last \d+ lines\)<\/summary>[\s\S]*no-such-file\.txt/
    );
    expect(r.outputs).toEqual({});
    expect(await headDigest(reg, repository, 'sha-b0b0b0b')).toBeUndefined();
    for (const line of visible(r)) expect(line).not.toContain(reg.password);
  });

  it('a registry refusing the tagging after the push fails the step with a summary of the image, and sets no outputs', async () => {
    // The image names the proxy: buildah pushes through it, the action tags through it, and it refuses `main`.
    const proxy = await refusingProxy(reg, req =>
      req.method === 'PUT' && req.url === `/v2/${repository}/manifests/main`
        ? { status: 500, code: 'UNKNOWN', message: 'storage backend unavailable', requestId: 'req-dist-5' }
        : undefined
    );
    try {
      const r = await runBundle(
        { ...base(), image: `${proxy.host}/${repository}` },
        { GITHUB_SHA: 'ba5eba1100000000000000000000000000000000' }
      );
      expect(r.code).toBe(1);
      const message = `PUT /v2/${repository}/manifests/main failed: HTTP 500 UNKNOWN - storage backend unavailable (request id req-dist-5)`;
      expect(r.lines.filter(l => l.startsWith('::error::'))).toEqual([`::error::${message}`]);
      const digest = await headDigest(reg, repository, 'sha-ba5eba1');
      expect(digest).toMatch(/^sha256:/);
      expect(r.summary).toContain('## Image: FAILED');
      expect(r.summary).toContain(`**${message}**`);
      expect(r.summary).toContain(`| **image** | ${proxy.host}/${repository} |`);
      expect(r.summary).toContain('| **pushed** | `sha-ba5eba1` |');
      expect(r.summary).toContain(`| **digest** | \`${digest}\` (not output: the step failed) |`);
      expect(r.summary).toContain('| **builder** | buildah |');
      expect(r.outputs).toEqual({});
      for (const line of visible(r)) expect(line).not.toContain(reg.password);
    } finally {
      await proxy.close();
    }
  });

  it('an input error writes a step summary naming the input', async () => {
    const r = await runBundle({ ...base(), platform: 'linux' });
    expect(r.code).toBe(1);
    expect(r.summary).toContain(
      "Input 'platform' must be one platform such as linux/amd64 or linux/arm64, got 'linux'"
    );
    expect(r.lines.some(l => l.startsWith('::group::buildah'))).toBe(false);
  });
});
