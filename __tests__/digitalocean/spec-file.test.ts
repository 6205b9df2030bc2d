import { afterEach, describe, expect, test } from '@jest/globals';
import { loadSpecFile } from '../../src/digitalocean/spec-file.js';
import { InputError } from '../../src/kit/errors.js';
import { createMemoryLogger } from '../../src/kit/log.js';
import type { AppSpec } from '../../src/digitalocean/types.js';
import { MIN_SECRET_LENGTH, clearSecretsForTest, containsSecret } from '../../src/kit/secrets.js';

const D = `sha256:${'a'.repeat(64)}`;
const file = (envs: string) => ({
  path: 'app.yaml',
  text:
    'name: sample\nservices:\n  - name: web\n    image: {registry_type: GHCR, registry: acme, repository: app, tag: v1}\n' +
    `    envs:\n${envs}`
});
const load = (envs: string, env: Record<string, string>) =>
  loadSpecFile(file(envs), env, createMemoryLogger(), []);
const envValues = (spec: AppSpec) => (spec.services![0]!.envs as { value: string }[]).map(e => e.value);
const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
};

afterEach(() => clearSecretsForTest());

describe('substituted spec values follow the kit rule for secrets (MIN_SECRET_LENGTH)', () => {
  test.each([
    ['3 characters (was neither masked nor refused)', 'abc'],
    ['4 characters (was masked, garbling every word holding it)', 'abcd'],
    [`${MIN_SECRET_LENGTH - 1} characters`, 'x'.repeat(MIN_SECRET_LENGTH - 1)]
  ])(
    'a value of %s for a SECRET variable is refused in one line naming the input and the variable',
    (_, value) => {
      const error = thrown(() =>
        load(
          '      - {key: SECRET_KEY, type: SECRET, value: "${SECRET_KEY}"}\n      - {key: B, type: SECRET, value: "$OTHER"}\n',
          {
            SECRET_KEY: value,
            OTHER: 'long-enough-value'
          }
        )
      );
      expect(error).toBeInstanceOf(InputError);
      const message = (error as Error).message;
      expect(message).toMatch(
        /^Input 'app-spec' \(app\.yaml\) substitutes \$\{SECRET_KEY\} into a SECRET variable with a value shorter than 8/
      );
      expect(message).not.toContain('OTHER');
      expect(message.split('\n')).toHaveLength(1);
      // Refused before anything is registered: nothing is masked, so the line itself is not garbled.
      expect(containsSecret(value)).toBe(false);
      expect(containsSecret('long-enough-value')).toBe(false);
    }
  );

  test('every short SECRET value is named at once', () => {
    const error = thrown(() =>
      load('      - {key: A, type: SECRET, value: "${A}"}\n      - {key: B, type: SECRET, value: "x-$B"}\n', {
        A: 'ab',
        B: 'abcdefg'
      })
    );
    expect((error as Error).message).toMatch(
      /substitutes \$\{A\}, \$\{B\} into a SECRET variable with values shorter than 8/
    );
  });

  test('a short value in a variable that is not SECRET (LOG_LEVEL=info) is deployed unmasked, and the log says so', () => {
    const log = createMemoryLogger();
    const spec = loadSpecFile(
      file(
        '      - {key: LOG_LEVEL, value: "${LOG_LEVEL}"}\n      - {key: SECRET_KEY, type: SECRET, value: "${SECRET_KEY}"}\n'
      ),
      { LOG_LEVEL: 'info', SECRET_KEY: 'long-enough-secret' },
      log,
      []
    );
    expect(envValues(spec)).toEqual(['info', 'long-enough-secret']);
    expect(containsSecret('info')).toBe(false);
    expect(containsSecret('long-enough-secret')).toBe(true);
    expect(log.lines.join('\n')).toContain(
      '${LOG_LEVEL} not masked: shorter than 8 characters and in no SECRET variable'
    );
  });

  test(`a value of ${MIN_SECRET_LENGTH} characters is substituted and masked`, () => {
    const spec = load('      - {key: SECRET_KEY, value: "${SECRET_KEY}"}\n', { SECRET_KEY: 'abcdefgh' });
    expect(envValues(spec)).toEqual(['abcdefgh']);
    expect(containsSecret('abcdefgh')).toBe(true);
  });

  test('image references, app-wide names, digests and empty values are not secrets: short ones pass, unmasked', () => {
    const spec = load(
      '      - {key: T, value: "${IMAGE_TAG}"}\n      - {key: V, value: "${APP_VERSION}"}\n' +
        '      - {key: D, value: "${SOME_DIGEST}"}\n      - {key: E, value: "${EMPTY}"}\n',
      { IMAGE_TAG: 'v1', APP_VERSION: 'abc', SOME_DIGEST: D, EMPTY: '' }
    );
    expect(envValues(spec)).toEqual(['v1', 'abc', D, '']);
    for (const v of ['v1', 'abc', D]) expect(containsSecret(v)).toBe(false);
  });
});
