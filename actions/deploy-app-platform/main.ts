import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { runAction, setOutputs, type ActionResult } from '../../src/kit/actions-io.js';
import { InputError, errorMessage } from '../../src/kit/errors.js';
import { Inputs } from '../../src/kit/inputs.js';
import { createLogger } from '../../src/kit/log.js';
import type { PrintLogs } from '../../src/digitalocean/deploy-run.js';
import { parseAppPlatformImage } from '../../src/digitalocean/app-platform-image.js';
import { previewCapRefusalFor, previewSpecFile, readPreviewInputs, runDelete } from './preview.js';
import { OPERATIONS, type Operation } from '../../src/digitalocean/operations.js';

/** app_action's default spec location, used when neither an app nor a spec is named. */
const DEFAULT_SPEC = '.do/app.yaml';

await runAction(async (): Promise<ActionResult> => {
  const inputs = new Inputs();
  const token = inputs.secret('token', {
    required: true,
    hint: 'a DigitalOcean API token with app read/write scope'
  });
  const registryCredentials = inputs.secret('registry-credentials');
  if (registryCredentials !== undefined && !/^[^:\s]+:\S+$/.test(registryCredentials))
    throw new InputError('registry-credentials', 'must be <username>:<token>');
  const mode = inputs.enumeration<'deploy' | Operation>('mode', ['deploy', ...OPERATIONS], 'deploy');
  const appId = inputs.string('app-id');
  const appName = inputs.string('app-name');
  const givenSpec = inputs.string('app-spec');
  const specPath =
    givenSpec ??
    (!appId && !appName && (mode === 'deploy' || mode === 'validate') && existsSync(DEFAULT_SPEC)
      ? DEFAULT_SPEC
      : undefined);
  const imageText = inputs.string('image');
  const rollbackTo = inputs.string('rollback-to');
  const apiUrl = inputs.url('api-url', { protocols: ['https:', 'http:'] });
  const timeoutMs = inputs.duration('timeout', '30m', { min: 1000 });
  const pollIntervalMs = inputs.duration('poll-interval', '10s', { min: 100 });
  const printLogs = inputs.enumeration<PrintLogs>(
    'print-logs',
    ['on-failure', 'always', 'never'],
    'on-failure'
  );
  const image = imageText ? parseAppPlatformImage(imageText, 'image') : undefined;
  const preview = readPreviewInputs(inputs, process.env);
  if (preview.deleteMode !== 'false') {
    if (preview.deleteMode === 'true' && !appId && !appName && preview.prNumber === undefined)
      throw new InputError('delete', 'needs app-id, app-name or preview-pr (the app to delete)');
    const { DigitalOceanClient, renderDeleteSummary } = await import('./deferred.js');
    const logger = createLogger();
    const client = new DigitalOceanClient({
      token,
      apiUrl: apiUrl?.toString(),
      logger,
      userAgent: 'app-platform-pipeline/deploy-app-platform'
    });
    const result = await runDelete(client, preview, { appId, appName }, logger);
    return { outputs: { 'app-id': result.appId }, summary: [renderDeleteSummary(result.lines)] };
  }
  if (preview.prNumber !== undefined && !specPath)
    throw new InputError('preview-pr', 'needs app-spec (the spec the preview is made from)');
  const keepList = inputs.list('keep-placeholders');
  const keepPlaceholders: ReadonlySet<string> | '*' = keepList.includes('*') ? '*' : new Set(keepList);
  // app_action's per-component image variables stand in for `image`.
  const imageVariables = Object.keys(process.env).some(
    k => /^IMAGE_(DIGEST|TAG)_./.test(k) && process.env[k]
  );
  if (!appId && !appName && !specPath)
    throw new InputError(
      'app-id',
      `or app-name (with app-spec to create the app) is required${mode === 'deploy' ? ` (no ${DEFAULT_SPEC} either)` : ''}`
    );
  if (mode === 'deploy' && !image && !specPath && !rollbackTo && !imageVariables)
    throw new InputError(
      'image',
      'is required unless app-spec (deploy a spec file) or rollback-to (manual rollback) is given'
    );
  let specFile: { path: string; text: string } | undefined;
  if (specPath) {
    try {
      specFile = { path: specPath, text: readFileSync(resolve(specPath), 'utf8') };
    } catch (error) {
      throw new InputError(
        'app-spec',
        `cannot be read: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)} (${specPath})`
      );
    }
  }
  const previewChanges: string[] = [];
  if (specFile && preview.prNumber !== undefined) {
    const made = previewSpecFile(specFile, preview, process.env.GITHUB_HEAD_REF || undefined);
    specFile = made.file;
    previewChanges.push(...made.changes);
  }

  // Loaded once the inputs are valid: a bad input fails without paying for the HTTP client.
  const {
    DigitalOceanClient,
    deploy,
    loadSpecFile,
    renderDeploySummary,
    renderNotStartedSummary,
    renderOperationSummary,
    runOperation
  } = await import('./deferred.js');
  const logger = createLogger();
  const client = new DigitalOceanClient({
    token,
    apiUrl: apiUrl?.toString(),
    logger,
    userAgent: 'app-platform-pipeline/deploy-app-platform'
  });
  if (preview.prNumber !== undefined) {
    const refusal = await previewCapRefusalFor(client, preview);
    if (refusal) return { summary: [renderNotStartedSummary(refusal)], failure: refusal };
    logger.info(`Preview of PR #${preview.prNumber}:\n  ${previewChanges.join('\n  ')}`);
  }
  if (mode !== 'deploy') {
    let target = appId;
    if (!target && appName) {
      const found = await client.findAppByName(appName);
      if (!found) throw new InputError('app-name', `'${appName}': no such app`);
      target = found.id;
    }
    const result = await runOperation(client, mode, {
      appId: target,
      deploymentId: inputs.string('deployment-id'),
      spec: specFile
        ? loadSpecFile(specFile, process.env, logger, [], { keep: keepPlaceholders })
        : undefined,
      pollIntervalMs,
      timeoutMs,
      logger,
      report: outputs => setOutputs(outputs)
    });
    return { summary: [renderOperationSummary(result.report)], failure: result.failure };
  }
  // Outputs are set as each becomes known (report), so they are there when a later call throws too.
  const outcome = await deploy(
    client,
    {
      appId,
      appName,
      specFile,
      component: inputs.string('component'),
      image,
      registryCredentials,
      projectId: inputs.string('project-id'),
      timeoutMs,
      pollIntervalMs,
      rollbackTo,
      cancelOnTimeout: inputs.boolean('cancel-on-timeout', true),
      printLogs,
      logDir: process.env.RUNNER_TEMP || tmpdir(),
      env: process.env,
      keepPlaceholders
    },
    { logger, report: outputs => setOutputs(outputs) }
  );
  return { summary: [renderDeploySummary(outcome)], failure: outcome.failure };
});
