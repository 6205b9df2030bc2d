import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, parseOutputFile } from '../../bin/cli.js';
import { isSecretInput } from '../../bin/cli-args.js';
import { readAction } from '../../bin/run-bundle.js';

const root = join(import.meta.dirname, '..', '..');
const cliWith = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin', 'app-platform-pipeline.js'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    timeout: 60_000
  });
const cli = (...args: string[]) => cliWith({}, ...args);

const temp = mkdtempSync(join(tmpdir(), 'cli-test-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

// Shaped like `gpg --export-secret-keys --armor` output (what `"$(cat key)"` passes): it starts with dashes.
const keyBody = [
  'lQOYBGZ7cliTestOnlyNotARealKeyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  'tQ3Sb2IgVGVzdCA8cm9iQGV4YW1wbGU+'
];
const armoredKey = [
  '-----BEGIN PGP PRIVATE KEY BLOCK-----',
  '',
  ...keyBody,
  '=AbCd',
  '-----END PGP PRIVATE KEY BLOCK-----'
].join('\n');
const backupInputs = readAction('backup').inputs!;

describe('app-platform-pipeline CLI', () => {
  it('--help lists an action inputs from its action.yml', () => {
    const r = cli('health-gate', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--url (required)');
    expect(r.stdout).toContain('--failure-threshold (default: 3)');
    expect(r.stdout).toContain('p95-latency-ms');
  });

  it('an unknown action or input is refused with the list of what exists', () => {
    const a = cli('deploy');
    expect(a.status).toBe(2);
    expect(a.stderr).toContain('deploy-app-platform');
    const b = cli('backup', '--storage', 's3://x');
    expect(b.status).toBe(2);
    expect(b.stderr).toContain("unknown input '--storage'");
  });

  it('runs the bundle: a bad input fails on one line and the token is never printed', () => {
    const token = 'dop_v1_cafebabe0123456789';
    const r = cli('deploy-app-platform', '--token', token, '--app-id', 'x', '--timeout', 'soon');
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/::error::Input '[a-z-]+'/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(token);
  });

  it('prints the outputs and the step summary of a run, and the summary of a failed one (notify)', () => {
    const ok = cli('notify', '--event', 'rollback');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('\noutputs:\n  delivered=false\n');
    expect(ok.stdout).toMatch(/\nsummary:\n.*Notification `rollback` not sent: no webhook URL configured/);
    const bad = cli('notify', '--event', 'exploded');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/\nsummary:\n[\s\S]*Input 'event' must be one of rollback, .*got 'exploded'/);
  });

  it('parses --name value, --name=value and bare flags', () => {
    expect(parseArgs(['--mode', 'list', '--dry-run', '--storage-url=s3://b/p'], backupInputs)).toEqual({
      mode: 'list',
      'dry-run': 'true',
      'storage-url': 's3://b/p'
    });
  });

  it('the value of a flag is the next argument even when it starts with dashes (an armored key)', () => {
    expect(
      parseArgs(['--private-key', armoredKey, '--mode', 'restore', '--prune', 'false'], backupInputs)
    ).toEqual({
      'private-key': armoredKey,
      mode: 'restore',
      prune: 'false'
    });
    expect(parseArgs(['--passphrase', '--not-a-flag--'], backupInputs)).toEqual({
      passphrase: '--not-a-flag--'
    });
  });

  it('no argument error prints a value: a stray key, a key read as a flag, a flag missing its value', () => {
    const message = (args: string[]) => {
      try {
        parseArgs(args, backupInputs);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    const stray = message(['--mode', 'restore', armoredKey]);
    const asFlag = message(['--mode', 'restore', `--${armoredKey}`]);
    for (const m of [stray, asFlag]) {
      expect(m).toContain('argument 3');
      expect(m).not.toContain('BEGIN');
      for (const line of keyBody) expect(m).not.toContain(line);
    }
    expect(message(['--passphrase'])).toBe('--passphrase needs a value');
    expect(message(['--passphrase', 'x', '--passphrase-file', join(temp, 'p')])).toContain('given twice');
  });

  it('an armored key given as --private-key "$(cat key)" reaches the action and is never printed', () => {
    const r = cli(
      'backup',
      '--mode',
      'restore',
      '--private-key',
      armoredKey,
      '--storage-url',
      `file://${temp}/none`
    );
    const output = `${r.stdout}${r.stderr}`;
    expect(output).not.toContain('unknown input');
    expect(output).toMatch(/::error::/);
    for (const line of keyBody) expect(output).not.toContain(line);
  });

  it('secrets from the environment (APP_PIPELINE_<INPUT>) and from a file (--<input>-file)', () => {
    const token = 'dop_v1_fromtheenvironment0123456789';
    // Without a token the action stops at 'token'; given one, it goes on to the bad timeout.
    expect(cli('deploy-app-platform', '--app-id', 'x', '--timeout', 'soon').stdout).toMatch(
      /::error::Input 'token'/
    );
    const fromEnv = cliWith(
      { APP_PIPELINE_TOKEN: token },
      'deploy-app-platform',
      '--app-id',
      'x',
      '--timeout',
      'soon'
    );
    const file = join(temp, 'token');
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    const fromFile = cli('deploy-app-platform', '--app-id', 'x', '--token-file', file, '--timeout', 'soon');
    for (const r of [fromEnv, fromFile]) {
      expect(r.status).not.toBe(0);
      expect(r.stdout).toMatch(/::error::Input 'timeout'/);
      expect(`${r.stdout}${r.stderr}`).not.toContain(token);
    }
    const missing = cli('deploy-app-platform', '--token-file', join(temp, 'nope'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`--token-file: cannot read '${join(temp, 'nope')}' (ENOENT)`);
  });

  it('--help says how to give secrets without the command line', () => {
    const r = cli('backup', '--help');
    expect(r.stdout).toContain('--private-key secret: --private-key-file or APP_PIPELINE_PRIVATE_KEY');
    expect(r.stdout).toContain('visible to every user of the machine (ps)');
    expect(r.stdout).toContain('--dry-run (default: false) (bare flag: true)');
  });

  it('every input an action reads as a secret is a secret input to the CLI', () => {
    const secrets = new Set<string>();
    for (const action of readdirSync(join(root, 'actions'))) {
      let main: string;
      try {
        main = readFileSync(join(root, 'actions', action, 'main.ts'), 'utf8');
      } catch {
        continue;
      }
      for (const m of main.matchAll(/inputs\.secret\('([a-z0-9-]+)'/g)) secrets.add(m[1]!);
    }
    expect(secrets.size).toBeGreaterThan(5);
    for (const name of [...secrets, 'database-url'])
      expect([name, isSecretInput(name)]).toEqual([name, true]);
  });

  it("reads the runner's output file format", () => {
    expect(parseOutputFile('a<<EOF_1\nline1\nline2\nEOF_1\nb<<X\n\nX\n')).toEqual({
      a: 'line1\nline2',
      b: ''
    });
  });
});
