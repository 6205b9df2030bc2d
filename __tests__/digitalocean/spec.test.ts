import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/kit/errors.js';
import { describeImage, parseAppPlatformImage } from '../../src/digitalocean/app-platform-image.js';
import { selectComponent } from '../../src/digitalocean/components.js';
import { replaceImage } from '../../src/digitalocean/image-edit.js';
import { applyImageVariables } from '../../src/digitalocean/image-variables.js';
import { substituteEnv } from '../../src/digitalocean/placeholders.js';
import { parseSpecText } from '../../src/digitalocean/spec-file.js';
import { validateSpec } from '../../src/digitalocean/spec-validation.js';
import type { AppSpec } from '../../src/digitalocean/types.js';
import { sampleSpec } from '../deploy/fake-api.js';

const D = `sha256:${'b'.repeat(64)}`;

describe('parseAppPlatformImage', () => {
  test.each([
    [
      `ghcr.io/signupflow/app@${D}`,
      { registry_type: 'GHCR', registry: 'signupflow', repository: 'app', digest: D }
    ],
    [
      'ghcr.io/signupflow/app:v1.2.3',
      { registry_type: 'GHCR', registry: 'signupflow', repository: 'app', tag: 'v1.2.3' }
    ],
    [
      `ghcr.io/org/group/app:1.0@${D}`,
      { registry_type: 'GHCR', registry: 'org', repository: 'group/app', digest: D }
    ],
    [
      'docker.io/library/nginx:1.27',
      { registry_type: 'DOCKER_HUB', registry: 'library', repository: 'nginx', tag: '1.27' }
    ],
    ['nginx:1.27', { registry_type: 'DOCKER_HUB', registry: 'library', repository: 'nginx', tag: '1.27' }],
    [
      'bitnami/redis:7.2',
      { registry_type: 'DOCKER_HUB', registry: 'bitnami', repository: 'redis', tag: '7.2' }
    ],
    [
      `registry.digitalocean.com/myreg/api@${D}`,
      { registry_type: 'DOCR', registry: 'myreg', repository: 'api', digest: D }
    ]
  ])('%s', (ref, expected) => {
    expect(parseAppPlatformImage(ref)).toEqual(expected);
  });

  test.each([
    ['ghcr.io/signupflow/app', /add a digest/],
    ['ghcr.io/signupflow/app@sha256:abc', /64 hex/],
    ['ghcr.io/SignUpFlow/app:v1', /lower case/],
    ['quay.io/org/app:v1', /only from ghcr.io/],
    ['ghcr.io/app:v1', /ghcr.io\/<owner>\/<repository>/],
    ['ghcr.io/o/app:bad!tag', /not a valid tag/],
    ['', /empty/]
  ])('rejects %p naming the input', (ref, why) => {
    let error: unknown;
    try {
      parseAppPlatformImage(ref);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('image');
    expect((error as Error).message).toMatch(/^Input 'image' /);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).not.toContain('\n');
  });

  test('describeImage turns a spec image back into a reference', () => {
    expect(describeImage(parseAppPlatformImage(`ghcr.io/o/app@${D}`))).toBe(`ghcr.io/o/app@${D}`);
    expect(describeImage({ registry_type: 'DOCR', repository: 'api', tag: 'v1' })).toBe(
      'registry.digitalocean.com/api:v1'
    );
  });
});

describe('replaceImage', () => {
  const spec = sampleSpec() as unknown as AppSpec;

  test('pins the only service and every component of the same repository (the PRE_DEPLOY job), nothing else', () => {
    const before = JSON.stringify(spec);
    const edit = replaceImage(spec, undefined, parseAppPlatformImage(`ghcr.io/signupflow/app@${D}`));
    expect(JSON.stringify(spec)).toBe(before); // the input is not mutated
    expect(edit.component).toBe('web');
    expect(edit.changed).toBe(true);
    const web = edit.spec.services![0]!;
    expect(web.image).toEqual({
      registry_type: 'GHCR',
      registry: 'signupflow',
      repository: 'app',
      digest: D,
      registry_credentials: 'EV[1:abc:def123]' // encrypted value sent back as it came
    });
    // The migration job runs the release too, so migrations never run the old code.
    expect(edit.alsoPinned).toEqual(['jobs/migrate']);
    expect(edit.spec.jobs![0]!.image!.digest).toBe(D);
    expect(edit.spec.jobs![0]!.image!.tag).toBeUndefined();
    // Everything but the images is byte-for-byte the same.
    const strip = (s: AppSpec) =>
      JSON.stringify({
        ...s,
        services: s.services!.map(({ image: _image, ...rest }) => rest),
        jobs: s.jobs!.map(({ image: _image, ...rest }) => rest)
      });
    expect(strip(edit.spec)).toBe(strip(spec));
    expect(JSON.stringify(edit.spec.services![0]!.envs)).toContain('EV[1:nonce:ciphertext]');
    expect(edit.sameRepository).toEqual([]);
  });

  test('named components only: component web leaves the job, reported; web,migrate pins both', () => {
    const ref = parseAppPlatformImage(`ghcr.io/signupflow/app@${D}`);
    const webOnly = replaceImage(spec, 'web', ref);
    expect(webOnly.alsoPinned).toEqual([]);
    expect(webOnly.sameRepository).toEqual(['jobs/migrate']);
    const both = replaceImage(spec, 'web, migrate', ref);
    expect(both.alsoPinned).toEqual(['jobs/migrate']);
    expect(both.spec.jobs![0]!.image!.digest).toBe(D);
  });

  test('a tag replaces the digest; new registry credentials replace the stored ones', () => {
    const edit = replaceImage(
      spec,
      'web',
      parseAppPlatformImage('ghcr.io/signupflow/app:v2'),
      'bot:ghp_token'
    );
    expect(edit.after).toEqual({
      registry_type: 'GHCR',
      registry: 'signupflow',
      repository: 'app',
      tag: 'v2',
      registry_credentials: 'bot:ghp_token'
    });
  });

  test('a job can be chosen by name; same digest again is no change', () => {
    const edit = replaceImage(
      spec,
      'migrate',
      parseAppPlatformImage(`ghcr.io/signupflow/app@sha256:${'a'.repeat(64)}`)
    );
    expect(edit.kind).toBe('jobs');
    expect(edit.changed).toBe(false);
  });

  test('an unknown component is an InputError on component naming the components that exist', () => {
    expect(() => replaceImage(spec, 'api', parseAppPlatformImage(`ghcr.io/o/a@${D}`))).toThrow(
      "Input 'component' 'api' is not a service, worker or job of app 'signupflow' (services: web; workers: (none); jobs: migrate)"
    );
  });

  test('no default component when the app has two services', () => {
    const two = {
      ...spec,
      services: [
        ...spec.services!,
        { name: 'admin', image: { registry_type: 'GHCR' as const, repository: 'x' } }
      ]
    };
    expect(() => selectComponent(two, undefined)).toThrow(
      /Input 'component' is required: app 'signupflow' has 2 services.*web, admin/
    );
  });

  test('a component built from source is refused', () => {
    const git = { name: 'gitapp', services: [{ name: 'web', github: { repo: 'o/r', branch: 'main' } }] };
    expect(() => replaceImage(git, undefined, parseAppPlatformImage(`ghcr.io/o/a@${D}`))).toThrow(
      /built from a github source/
    );
  });
});

describe('substituteEnv', () => {
  test('replaces ${VAR} from the environment and leaves App Platform bindables alone', () => {
    const parsed = parseSpecText(
      [
        'name: ${APP_NAME}',
        'services:',
        '- name: web',
        '  image: {registry_type: GHCR, registry: o, repository: a, digest: "${DIGEST}", registry_credentials: "${GHCR_CREDENTIALS}"}',
        '  envs:',
        '  - {key: DATABASE_URL, value: "${db.DATABASE_URL}"}',
        '  - {key: PUBLIC_URL, value: "${APP_URL}/app"}',
        '  - {key: SELF, value: "${_self.PRIVATE_URL}"}',
        '  - {key: OTHER, value: "${NOT_SET_ANYWHERE}"}',
        '  - {key: HASH, value: "${HASHY}"}'
      ].join('\n')
    );
    const env = {
      APP_NAME: 'signupflow',
      DIGEST: D,
      GHCR_CREDENTIALS: 'bot:tok',
      APP_URL: 'http://runner-env',
      HASHY: 'a: b # c'
    };
    const { value, substituted, missing, kept } = substituteEnv(parsed, env);
    const spec = value as AppSpec;
    expect(spec.name).toBe('signupflow');
    expect(spec.services![0]!.image).toMatchObject({ digest: D, registry_credentials: 'bot:tok' });
    const envs = spec.services![0]!.envs as { key: string; value: string }[];
    expect(envs.map(e => e.value)).toEqual([
      '${db.DATABASE_URL}',
      // Set in the environment: substituted, as app_action does (unset, it is left for App Platform).
      'http://runner-env/app',
      '${_self.PRIVATE_URL}',
      '${NOT_SET_ANYWHERE}',
      'a: b # c'
    ]);
    expect([...substituted.keys()].sort()).toEqual([
      'APP_NAME',
      'APP_URL',
      'DIGEST',
      'GHCR_CREDENTIALS',
      'HASHY'
    ]);
    expect(missing).toEqual(['NOT_SET_ANYWHERE']);
    expect(kept.sort()).toEqual(['_self.PRIVATE_URL', 'db.DATABASE_URL']);
  });

  test('$VAR without braces is substituted like ${VAR} (app_action expands both); $$ is one $', () => {
    const { value, missing } = substituteEnv(
      { name: 'x', envs: [{ key: 'K', value: 'pre-$KEY_ONE/${KEY_TWO}-cost $$5 $' }] },
      { KEY_ONE: 'one', KEY_TWO: 'two' }
    );
    expect((value as { envs: { value: string }[] }).envs[0]!.value).toBe('pre-one/two-cost $5 $');
    expect(missing).toEqual([]);
  });

  test('every unset placeholder is missing at once, unless app-wide (APP_URL) or kept', () => {
    const spec = {
      name: 'x',
      envs: [
        { key: 'A', value: '${SECRET_KEY}' },
        { key: 'B', value: '$OTHER and ${APP_DOMAIN}' }
      ]
    };
    expect(substituteEnv(spec, {}).missing).toEqual(['SECRET_KEY', 'OTHER']);
    expect(substituteEnv(spec, {}, { keep: new Set(['OTHER']) }).missing).toEqual(['SECRET_KEY']);
    const all = substituteEnv(spec, {}, { keep: '*' });
    expect(all.missing).toEqual([]);
    // A bare $OTHER kept for App Platform is written back in its braced form.
    expect((all.value as { envs: { value: string }[] }).envs[1]!.value).toBe('${OTHER} and ${APP_DOMAIN}');
  });

  test("app_action's IMAGE_DIGEST_<NAME> and IMAGE_TAG_<NAME> (name upper-cased, - as _) on every container component", () => {
    const spec = {
      name: 'x',
      services: [
        { name: 'web', image: { registry_type: 'GHCR', registry: 'o', repository: 'a', tag: 'old' } }
      ],
      jobs: [
        { name: 'db-migrate', image: { registry_type: 'GHCR', registry: 'o', repository: 'a', digest: D } }
      ],
      workers: [{ name: 'w', image: { registry_type: 'GHCR', registry: 'o', repository: 'b', tag: 'keep' } }]
    } as AppSpec;
    const changed = applyImageVariables(spec, { IMAGE_DIGEST_WEB: D, IMAGE_TAG_DB_MIGRATE: 'v2' });
    expect(changed).toEqual(['services/web', 'jobs/db-migrate']);
    expect(spec.services![0]!.image).toEqual({
      registry_type: 'GHCR',
      registry: 'o',
      repository: 'a',
      digest: D
    });
    expect(spec.jobs![0]!.image).toEqual({
      registry_type: 'GHCR',
      registry: 'o',
      repository: 'a',
      tag: 'v2'
    });
    expect(spec.workers![0]!.image!.tag).toBe('keep');
  });

  test('a YAML syntax error is an InputError on app-spec', () => {
    expect(() => parseSpecText('name: [unclosed')).toThrow(/^Input 'app-spec' is not valid YAML\/JSON/);
  });
});

describe('validateSpec', () => {
  test('the sample spec is valid', () => {
    expect(validateSpec(sampleSpec())).toEqual([]);
  });

  test('reports problems with field paths', () => {
    const problems = validateSpec({
      name: 'Bad_Name',
      region: 'mars',
      services: [
        {
          name: 'web',
          image: { registry_type: 'GHCR', repository: 'a', tag: 'v1', digest: 'sha256:x' },
          instance_count: 0
        },
        { name: 'web', envs: [{ key: '1BAD' }], http_port: 70000 }
      ],
      jobs: [{ name: 'migrate', kind: 'SOMETIMES' }]
    }).map(p => p.path);
    expect(problems).toEqual([
      'name',
      'region',
      'services[0].image.registry',
      'services[0].image',
      'services[0].image.digest',
      'services[0].instance_count',
      'services[1].name',
      'services[1].envs[0].key',
      'services[1].http_port',
      'jobs[0].kind'
    ]);
  });

  test('an empty document is refused', () => {
    expect(validateSpec(null)).toEqual([{ path: '(root)', message: expect.stringContaining('mapping') }]);
    expect(validateSpec({ name: 'ok-name' }).map(p => p.path)).toEqual(['services']);
  });
});
