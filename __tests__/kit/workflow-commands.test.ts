// The workflow commands the actions write themselves, checked against the runner's documented formats: the
// heredoc in GITHUB_OUTPUT / GITHUB_STATE (read back the way the runner reads it), and the escaped stdout lines.
import { afterAll, afterEach, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addMask,
  commandLine,
  getState,
  saveState,
  setFailed,
  setOutput,
  warning
} from '../../src/kit/workflow-commands.js';

const dir = mkdtempSync(join(tmpdir(), 'commands-'));
afterEach(() => {
  delete process.env['GITHUB_OUTPUT'];
  delete process.env['GITHUB_STATE'];
  delete process.env['STATE_lock'];
  process.exitCode = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the runner makes of a file command: `name<<DELIM` … `DELIM` blocks, or `name=value` lines. */
function readFileCommand(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (!heredoc) {
      const [name, ...value] = line.split('=');
      out[name!] = value.join('=');
      continue;
    }
    const value: string[] = [];
    for (i++; lines[i] !== heredoc[2]; i++) {
      if (i >= lines.length) throw new Error(`no closing ${heredoc[2]}`);
      value.push(lines[i]!);
    }
    out[heredoc[1]!] = value.join('\n');
  }
  return out;
}

function printed(fn: () => void): string {
  const out: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    out.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

it('appends outputs to GITHUB_OUTPUT as heredocs, so values keep their newlines and `=` signs', () => {
  const file = join(dir, 'output');
  writeFileSync(file, 'earlier=1\n');
  process.env['GITHUB_OUTPUT'] = file;
  const out = printed(() => {
    setOutput('tags', 'ghcr.io/o/app:sha-1\nghcr.io/o/app:latest');
    setOutput('url', 'https://app.example/?a=b');
  });
  expect(out).toBe('');
  expect(readFileCommand(readFileSync(file, 'utf8'))).toEqual({
    earlier: '1',
    tags: 'ghcr.io/o/app:sha-1\nghcr.io/o/app:latest',
    url: 'https://app.example/?a=b'
  });
  // A fresh delimiter each time: a value cannot end the block early by guessing it.
  const delimiters = readFileSync(file, 'utf8').match(/<<(.+)/g)!;
  expect(new Set(delimiters).size).toBe(2);
});

it('without GITHUB_OUTPUT, prints the older set-output command, escaped', () => {
  expect(printed(() => setOutput('note', '100% done\r\nnext'))).toBe(
    '\n::set-output name=note::100%25 done%0D%0Anext\n'
  );
});

it('refuses, naming the variable, a GITHUB_OUTPUT file that does not exist', () => {
  process.env['GITHUB_OUTPUT'] = join(dir, 'missing');
  expect(() => setOutput('a', 'b')).toThrow(
    `GITHUB_OUTPUT names ${join(dir, 'missing')}, which does not exist`
  );
});

it('saves post-step state to GITHUB_STATE; the post step reads STATE_<name>', () => {
  const file = join(dir, 'state');
  writeFileSync(file, '');
  process.env['GITHUB_STATE'] = file;
  saveState('lock', 'trusted-source:db-1:203.0.113.7');
  expect(readFileCommand(readFileSync(file, 'utf8'))).toEqual({ lock: 'trusted-source:db-1:203.0.113.7' });
  expect(getState('lock')).toBe('');
  process.env['STATE_lock'] = 'trusted-source:db-1:203.0.113.7';
  expect(getState('lock')).toBe('trusted-source:db-1:203.0.113.7');
});

it('masks, warns and fails with escaped messages; a failure sets exit code 1', () => {
  expect(printed(() => addMask('line one\nline two'))).toBe('::add-mask::line one%0Aline two\n');
  expect(printed(() => warning('50% of 2\nbackups'))).toBe('::warning::50%25 of 2%0Abackups\n');
  expect(printed(() => setFailed('restore failed'))).toBe('::error::restore failed\n');
  expect(process.exitCode).toBe(1);
});

it('escapes property values, whose `:` and `,` would otherwise end them', () => {
  expect(commandLine('error', 'bad: input', { file: 'a,b:c.ts', line: '3' })).toBe(
    '::error file=a%2Cb%3Ac.ts,line=3::bad: input'
  );
});
