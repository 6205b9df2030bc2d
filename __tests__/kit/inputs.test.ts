import { describe, expect, it } from '@jest/globals';
import { Inputs } from '../../src/kit/inputs.js';
import { InputError } from '../../src/kit/errors.js';
import { clearSecretsForTest, redact } from '../../src/kit/secrets.js';

const from = (values: Record<string, string>) => new Inputs(name => values[name]);

describe('Inputs', () => {
  it('reads INPUT_<NAME> like @actions/core (dashes kept, upper-cased)', () => {
    process.env['INPUT_KEEP-DAILY'] = ' 30 ';
    try {
      expect(new Inputs().integer('keep-daily', { default: 1 })).toBe(30);
    } finally {
      delete process.env['INPUT_KEEP-DAILY'];
    }
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['false', false],
    ['False', false]
  ])('boolean %s', (text, value) => {
    expect(from({ prune: text }).boolean('prune', !value)).toBe(value);
  });

  it('boolean default when empty, error naming the input otherwise', () => {
    expect(from({}).boolean('prune', true)).toBe(true);
    expect(() => from({ prune: 'yes' }).boolean('prune', true)).toThrow(
      "Input 'prune' must be 'true' or 'false', got 'yes'"
    );
  });

  it('integer bounds name the input', () => {
    expect(() => from({ 'keep-daily': '-1' }).integer('keep-daily', { default: 30, min: 0 })).toThrow(
      "Input 'keep-daily' must be at least 0, got -1"
    );
    expect(() => from({ 'keep-daily': '3.5' }).integer('keep-daily', { default: 30 })).toThrow(InputError);
  });

  it('durations in ms, with the input named on error', () => {
    const inputs = from({ timeout: '5m', interval: 'soon' });
    expect(inputs.duration('timeout', '30m')).toBe(300_000);
    expect(inputs.duration('window', '60s')).toBe(60_000);
    expect(() => inputs.duration('interval', '10s')).toThrow(/^Input 'interval' must be a duration/);
  });

  it('enumeration lists the allowed values', () => {
    expect(from({ mode: 'verify' }).enumeration('mode', ['backup', 'verify'] as const, 'backup')).toBe(
      'verify'
    );
    expect(() => from({ mode: 'nope' }).enumeration('mode', ['backup', 'verify'] as const, 'backup')).toThrow(
      "Input 'mode' must be one of backup, verify, got 'nope'"
    );
  });

  it('required inputs say so', () => {
    expect(() => from({}).string('url', { required: true })).toThrow("Input 'url' is required");
    expect(() => from({ token: '  ' }).secret('token', { required: true })).toThrow(
      "Input 'token' is required"
    );
  });

  it('url checks the protocol and masks a database password before failing', () => {
    clearSecretsForTest();
    const inputs = from({ 'database-url': 'mysql://app:hunter2hunter2@db/x', 'storage-url': 's3://b/p' });
    expect(() =>
      inputs.url('database-url', {
        protocols: ['postgres:', 'postgresql:'],
        required: true,
        secretPassword: true
      })
    ).toThrow("Input 'database-url' must start with postgres:// or postgresql://, got 'mysql://'");
    expect(redact('connect mysql://app:hunter2hunter2@db/x')).toBe('connect mysql://app:***@db/x');
    expect(inputs.url('storage-url', { protocols: ['s3:', 'file:'] })?.hostname).toBe('b');
  });

  it('list splits lines and commas and drops comments', () => {
    expect(from({ tags: 'a\n b, c\n# note\n\n' }).list('tags')).toEqual(['a', 'b', 'c']);
    expect(from({ args: 'A=1,2\nB=3' }).list('args', { commas: false })).toEqual(['A=1,2', 'B=3']);
  });
});
