import { Inputs, InputError, createLogger } from '../../src/kit/index.js';
import { runAction } from '../../src/kit/actions-io.js';
import { readGitHubContext } from '../../src/image/github-context.js';
import { resolveBuildPaths } from '../../src/image/paths.js';
import { defaultImageName, parseImageName } from '../../src/image/reference.js';
import { checkTarget } from '../../src/image/target.js';

await runAction(async () => {
  const inputs = new Inputs();
  const github = readGitHubContext();
  const imageText =
    inputs.string('image') ??
    defaultImageName(github.repository) ??
    inputs.string('image', {
      required: true,
      hint: 'or run inside GitHub Actions so ghcr.io/<owner>/<repo> can be derived'
    });
  const image = parseImageName(imageText);
  const password = inputs.secret('registry-password');
  const username = inputs.string('registry-username') ?? (password ? process.env.GITHUB_ACTOR : undefined);
  if (password && !username)
    throw new InputError('registry-username', 'is required when registry-password is set');
  if (username && !password)
    throw new InputError('registry-password', `is required when registry-username is set`);
  const platform = inputs.string('platform') ?? 'linux/amd64';
  if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(platform))
    throw new InputError(
      'platform',
      `must be one platform such as linux/amd64 or linux/arm64, got '${platform}'`
    );
  const buildArgs = inputs.list('build-args', { commas: false });
  const badArg = buildArgs.find(a => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a));
  if (badArg !== undefined)
    throw new InputError('build-args', `must be NAME=value lines, got '${badArg.split('=')[0]}'`);
  const paths = resolveBuildPaths(
    process.env.GITHUB_WORKSPACE ?? process.cwd(),
    inputs.string('context') ?? '.',
    inputs.string('file') ?? 'Dockerfile'
  );
  const targetText = inputs.string('target');
  const target = targetText === undefined ? undefined : checkTarget(targetText, paths.file);

  // Loaded once the inputs are valid: a bad input fails without paying for the registry client.
  const { buildImage, spawnCommand, buildImageSummary } = await import('./deferred.js');
  const result = await buildImage(
    {
      image,
      ...paths,
      extraTags: inputs.list('tags'),
      buildArgs,
      platform,
      target,
      push: inputs.boolean('push', true),
      credentials: username && password ? { username, password } : undefined,
      builder: inputs.enumeration('builder', ['auto', 'docker', 'buildah'] as const, 'auto'),
      tlsVerify: inputs.boolean('tls-verify', true),
      skipExisting: inputs.boolean('skip-existing', true),
      github
    },
    { run: spawnCommand, log: createLogger() }
  );

  // A failed run (the build or push step, or the registry after the login) sets no outputs: a later step must not
  // take a digest or tags that were not pushed, or not read back.
  const outputs = result.failure
    ? undefined
    : {
        image: result.image,
        digest: result.digest ?? '',
        ref: result.ref ?? '',
        tags: result.tags.join('\n')
      };
  return { outputs, summary: buildImageSummary(result), failure: result.failure?.message };
});
