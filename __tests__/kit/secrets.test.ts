import { afterEach, describe, expect, it } from '@jest/globals';
import { Inputs } from '../../src/kit/inputs.js';
import { createMemoryLogger } from '../../src/kit/log.js';
import {
  clearSecretsForTest,
  redact,
  redactUrl,
  registerSecret,
  registerUrlSecrets,
  setMaskHook,
  urlPassword
} from '../../src/kit/secrets.js';
import { Summary } from '../../src/kit/summary.js';

afterEach(() => {
  clearSecretsForTest();
  setMaskHook(undefined);
});

describe('masking', () => {
  it("a database URL's password never reaches captured output, in plain or percent-encoded form", () => {
    const url = 'postgresql://signup:p%40ss%2Fw0rd!@db.example.org:25060/app?sslmode=require';
    const inputs = new Inputs(name => (name === 'database-url' ? url : undefined));
    inputs.url('database-url', { protocols: ['postgresql:'], required: true, secretPassword: true });
    const log = createMemoryLogger();
    log.info(`connecting to ${url}`);
    log.warning('password is p@ss/w0rd!');
    log.error(`raw p%40ss%2Fw0rd! again`);
    const captured = log.lines.join('\n');
    expect(captured).not.toContain('p@ss/w0rd!');
    expect(captured).not.toContain('p%40ss%2Fw0rd!');
    expect(captured).toContain('signup:***@db.example.org');
  });

  it('forwards secrets to the runner hook, including ones registered before the hook', () => {
    registerSecret('early-secret');
    const masked: string[] = [];
    setMaskHook(s => masked.push(s));
    registerSecret('late-secret');
    expect(masked).toEqual(expect.arrayContaining(['early-secret', 'late-secret']));
  });

  it('redacts the longest secret first so no tail leaks', () => {
    registerSecret('abc');
    registerSecret('abcdef');
    expect(redact('x abcdef y abc')).toBe('x *** y ***');
  });

  it('masks secrets in job summaries', () => {
    registerSecret('tok_live_123456');
    expect(new Summary().add('token tok_live_123456').toString()).toBe('token ***');
  });

  it('finds passwords even in URLs that URL() rejects', () => {
    expect(urlPassword('postgres://u:pw with space@h:5432/db')).toBe('pw with space');
    registerUrlSecrets('postgres://u:pw with space@h:5432/db');
    expect(redact('pw with space')).toBe('***');
    expect(redactUrl('postgresql://u:secret@h/db')).toBe('postgresql://u:***@h/db');
  });
});
