// Pure parts of the simulator: process environment precedence, step tree and counters, spec secrets.
import { describe, expect, test } from '@jest/globals';
import { componentEnv, resolveBindables } from '../../test-support/app-platform-sim/app-env.js';
import { SecretVault } from '../../test-support/app-platform-sim/secrets.js';
import {
  buildStepTree,
  countSteps,
  leafMatches,
  leaves,
  setLeafStatus
} from '../../test-support/app-platform-sim/steps.js';

describe('componentEnv', () => {
  const vault = new SecretVault();
  const sealed = vault.sealSpec({ name: 'x', envs: [{ key: 'S', type: 'SECRET', value: 'plain-secret' }] })
    .envs[0]!.value;

  test('image ENV < platform env < app envs < component envs; BUILD_TIME skipped; host PATH kept', () => {
    const env = componentEnv({
      base: { PATH: '/usr/bin', HOME: '/root' },
      imageEnv: {
        PATH: '/image/bin',
        APP_VERSION: 'from-image',
        A: 'image',
        B: 'image',
        C: 'image',
        D: 'image'
      },
      appEnv: { B: 'platform', C: 'platform', D: 'platform' },
      builtins: {},
      appEnvs: [
        { key: 'C', value: 'app' },
        { key: 'D', value: 'app' }
      ],
      componentEnvs: [
        { key: 'D', value: 'component' },
        { key: 'E', value: 'build only', scope: 'BUILD_TIME' },
        { key: 'S', type: 'SECRET', value: sealed }
      ],
      open: v => vault.open(v)
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/root',
      APP_VERSION: 'from-image',
      A: 'image',
      B: 'platform',
      C: 'app',
      D: 'component',
      S: 'plain-secret'
    });
  });

  test('an EV[...] the simulator did not issue leaves the platform value in place', () => {
    const env = componentEnv({
      base: {},
      imageEnv: {},
      appEnv: { DATABASE_URL: 'postgresql://platform' },
      builtins: {},
      appEnvs: undefined,
      componentEnvs: [{ key: 'DATABASE_URL', type: 'SECRET', value: 'EV[1:abc:def]' }],
      open: v => vault.open(v)
    });
    expect(env.DATABASE_URL).toBe('postgresql://platform');
  });

  test.each([
    ['${db.DATABASE_URL}', 'postgresql://platform'],
    ['${APP_URL}/health', 'http://127.0.0.1:1234/health'],
    ['${unknown.THING}', '${unknown.THING}'],
    ['plain', 'plain']
  ])('bindable %s -> %s', (value, expected) => {
    expect(
      resolveBindables(value, { DATABASE_URL: 'postgresql://platform' }, { APP_URL: 'http://127.0.0.1:1234' })
    ).toBe(expected);
  });
});

describe('steps', () => {
  const tree = () =>
    buildStepTree([
      { name: 'web', kind: 'service' },
      { name: 'migrate', kind: 'job', jobKind: 'PRE_DEPLOY' },
      { name: 'nightly', kind: 'job', jobKind: 'POST_DEPLOY' }
    ]);

  test('leaves in execution order; jobs other than PRE_DEPLOY are built, not deployed', () => {
    expect(leaves(tree()).map(l => l.path)).toEqual([
      'build.initialize',
      'build.components.web',
      'build.components.migrate',
      'build.components.nightly',
      'deploy.initialize',
      'deploy.components.migrate.run',
      'deploy.components.web.deploy',
      'deploy.components.web.wait',
      'deploy.finalize'
    ]);
  });

  test.each([
    ['deploy.components.web.wait', 'wait', true],
    ['deploy.components.web.wait', 'web.wait', true],
    ['build.initialize', 'build', true],
    ['deploy.initialize', 'build', false],
    ['deploy.components.web.deploy', 'deploy.finalize', false]
  ])('leafMatches(%s, %s) = %s', (path, wanted, expected) => {
    expect(leafMatches(path, wanted)).toBe(expected);
  });

  test('status rolls up to parents and the counters follow', () => {
    const steps = tree();
    const all = leaves(steps);
    setLeafStatus(all[0]!, 'SUCCESS', '2026-01-01T00:00:00Z');
    setLeafStatus(all[1]!, 'RUNNING', '2026-01-01T00:00:01Z');
    expect(steps[0]!.status).toBe('RUNNING');
    expect(countSteps(steps)).toEqual({
      pending_steps: 7,
      running_steps: 1,
      success_steps: 1,
      error_steps: 0,
      total_steps: 9
    });
    setLeafStatus(all[1]!, 'ERROR', '2026-01-01T00:00:02Z', { code: 'X', message: 'm' });
    expect(steps[0]).toMatchObject({
      status: 'ERROR',
      reason: { code: 'X' },
      ended_at: '2026-01-01T00:00:02Z'
    });
    expect(steps[1]!.status).toBe('PENDING');
  });
});

test('sealSpec encrypts SECRET values and registry credentials once, keeps the rest, drops null values', () => {
  const vault = new SecretVault();
  const spec = {
    name: 'x',
    services: [
      {
        name: 'web',
        image: { registry_type: 'GHCR', registry: 'a', repository: 'b', registry_credentials: 'u:p' },
        envs: [
          { key: 'S', type: 'SECRET', value: 's' },
          { key: 'G', value: 'g' },
          { key: 'N', value: null }
        ]
      }
    ]
  };
  const sealed = vault.sealSpec(spec);
  const web = sealed.services[0]!;
  expect(web.image.registry_credentials).toMatch(/^EV\[1:/);
  expect(web.envs).toEqual([
    { key: 'S', type: 'SECRET', value: expect.stringMatching(/^EV\[1:/) },
    { key: 'G', value: 'g' },
    { key: 'N' }
  ]);
  expect(vault.open(web.envs[0]!.value as string)).toBe('s');
  expect(vault.sealSpec(sealed)).toEqual(sealed); // sent back as it came: unchanged
  expect(spec.services[0]!.envs[0]!.value).toBe('s'); // the input is not modified
});
