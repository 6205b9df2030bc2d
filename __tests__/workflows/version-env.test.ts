// The deploy pins the release's commit as the component's APP_VERSION, so /health reports it without a spec file
// (README "Deploy on push to main": app-id only) and over an older APP_VERSION env of the app.
import { describe, expect, it } from '@jest/globals';
import { pinAppVersion } from '../../src/digitalocean/version-env.js';
import type { AppSpec } from '../../src/digitalocean/types.js';

const spec = (): AppSpec => ({
  name: 'signupflow',
  envs: [{ key: 'APP_VERSION', value: 'old-commit', scope: 'RUN_TIME' }],
  services: [
    {
      name: 'web',
      envs: [
        { key: 'APP_VERSION', value: 'older' },
        { key: 'LOG_LEVEL', value: 'info' }
      ]
    },
    { name: 'other' }
  ]
});

describe('pinAppVersion', () => {
  it('replaces the component APP_VERSION and keeps its other envs', () => {
    const out = pinAppVersion(spec(), { kind: 'services', component: 'web' }, 'abc123');
    expect(out.services![0]!.envs).toEqual([
      { key: 'LOG_LEVEL', value: 'info' },
      { key: 'APP_VERSION', value: 'abc123', scope: 'RUN_TIME', type: 'GENERAL' }
    ]);
    expect(out.services![1]).toEqual({ name: 'other' });
  });

  it('adds it to a component without envs, and leaves the input spec untouched', () => {
    const input = spec();
    const out = pinAppVersion(input, { kind: 'services', component: 'other' }, 'abc123');
    expect(out.services![1]!.envs).toEqual([
      { key: 'APP_VERSION', value: 'abc123', scope: 'RUN_TIME', type: 'GENERAL' }
    ]);
    expect(input).toEqual(spec());
  });

  it('changes nothing without a version or a component', () => {
    const input = spec();
    expect(pinAppVersion(input, { kind: 'services', component: 'web' }, '')).toBe(input);
    expect(pinAppVersion(input, undefined, 'abc')).toBe(input);
  });
});
