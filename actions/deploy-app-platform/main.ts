import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { runAction, setOutputs } from '../../src/kit/actions-io.js';
import { InputError, errorMessage } from '../../src/kit/errors.js';
import { Inputs } from '../../src/kit/inputs.js';
import { createLogger } from '../../src/kit/log.js';
import { Summary } from '../../src/kit/summary.js';
import type { PrintLogs } from '../../src/digitalocean/deploy.js';
import { parseImageRef } from '../../src/digitalocean/spec.js';
import { enforcePreviewCap, previewSpecFile, readPreviewInputs, runDelete } from './preview.js';
import { OPERATIONS, type Operation } from '../../src/digitalocean/operations.js';

/** app_action's default spec location, used when neither an app nor a spec is named. */
const DEFAULT_SPEC = '.do/app.yaml';

await runAction(async () => {
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
  const image = imageText ? parseImageRef(imageText, 'image') : undefined;
  const preview = readPreviewInputs(inputs, process.env);
  if (preview.deleteMode !== 'false') {
    if (preview.deleteMode === 'true' && !appId && !appName && preview.prNumber === undefined)
      throw new InputError('delete', 'needs app-id, app-name or preview-pr (the app to delete)');
    const { DigitalOceanClient } = await import('./deferred.js');
    const logger = createLogger();
    const client = new DigitalOceanClient({
      token,
      apiUrl: apiUrl?.toString(),
      logger,
      userAgent: 'app-platform-pipeline/deploy-app-platform'
    });
    const result = await runDelete(client, preview, { appId, appName }, logger);
    setOutputs({ 'app-id': result.appId });
    new Summary()
      .heading('App Platform: delete')
      .add(result.lines.map(l => `- ${l}`).join('\n'))
      .write();
    return;
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
        `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (${specPath})`
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
  const { DigitalOceanClient, deploy, renderDeploySummary, renderErrorSummary, runOperation, loadSpecFile } =
    await import('./deferred.js');
  const logger = createLogger();
  const client = new DigitalOceanClient({
    token,
    apiUrl: apiUrl?.toString(),
    logger,
    userAgent: 'app-platform-pipeline/deploy-app-platform'
  });
  if (preview.prNumber !== undefined) {
    await enforcePreviewCap(client, preview).catch(error => {
      new Summary().add(renderErrorSummary(errorMessage(error))).write();
      throw error;
    });
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
    new Summary().add(result.summary).write();
    if (!result.success) throw new Error(result.failure ?? `mode ${mode} failed`);
    return;
  }
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
  ).catch(error => {
    // Failed before a deployment outcome existed (API refused a call, pinned app, spec rejected).
    new Summary().add(renderErrorSummary(errorMessage(error))).write();
    throw error;
  });
  new Summary().add(renderDeploySummary(outcome)).write();
  if (!outcome.success) throw new Error(outcome.failure ?? 'The deployment failed');
});
