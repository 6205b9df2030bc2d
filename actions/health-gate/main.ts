import { InputError, RemoteError } from '../../src/kit/errors.js';
import { registerProbeUrlSecrets } from '../../src/health/url-secrets.js';
import { Inputs } from '../../src/kit/inputs.js';
import { createLogger } from '../../src/kit/log.js';
import { runAction } from '../../src/kit/actions-io.js';
import { gateFailure } from '../../src/health/failure.js';
import { gateSummary } from '../../src/health/summary.js';
import { systemClock } from '../../src/health/types.js';
import { plannedProbes } from '../../src/health/window.js';

/** How long a rollback deployment may take to become ACTIVE (the deploy action's default timeout). */
const ROLLBACK_TIMEOUT_MS = 30 * 60_000;

await runAction(async () => {
  const inputs = new Inputs();
  const token = inputs.secret('token');
  // secretPassword: a URL that does not parse is refused without echoing it (it may hold credentials).
  const url = inputs.url('url', { protocols: ['http:', 'https:'], required: true, secretPassword: true });
  // user:password@ and ?token= style values are secrets: masked before anything prints the URL.
  registerProbeUrlSecrets('url', url);
  const expectedVersion = inputs.string('expected-version');
  const initialDelayMs = inputs.duration('initial-delay', '0s');
  const intervalMs = inputs.duration('interval', '10s', { min: 100 });
  const requestTimeoutMs = inputs.duration('request-timeout', '5s', { min: 100 });
  const windowMs = inputs.duration('window', '60s');
  const successThreshold = inputs.integer('success-threshold', { default: 3, min: 1 });
  const failureThreshold = inputs.integer('failure-threshold', { default: 3, min: 1 });
  const maxLatencyMs = inputs.raw('max-latency')
    ? inputs.duration('max-latency', '0s', { min: 1 })
    : undefined;
  const minCertificateDays = inputs.integer('min-certificate-days', { default: 7, min: 0 });
  const rollback = inputs.boolean('rollback', true);
  const appId = inputs.string('app-id');
  const rollbackTo = inputs.string('rollback-to');
  const apiUrl = inputs.url('api-url', { protocols: ['https:', 'http:'] });

  const planned = plannedProbes(windowMs, intervalMs);
  if (planned < successThreshold)
    throw new InputError(
      'window',
      `allows only ${planned} probes at this interval, fewer than success-threshold ${successThreshold}`
    );
  // Checked before probing: a gate that cannot roll back must not find out after the release failed.
  if (rollback && !token)
    throw new InputError(
      'token',
      'is required when rollback is true (a DigitalOcean API token with app write scope)'
    );
  if (rollback && !appId)
    throw new InputError('app-id', 'is required when rollback is true (the id of the App Platform app)');

  // Loaded after the inputs are valid: a bad input fails without paying for the HTTP stack.
  const { DigitalOceanClient, checkCertificate, runGate, createHttpProbe, appPlatformRollback } =
    await import('./deferred.js');
  const logger = createLogger();
  const clock = systemClock;
  const release = createHttpProbe({ url, timeoutMs: requestTimeoutMs, expectedVersion });
  const restored = createHttpProbe({ url, timeoutMs: requestTimeoutMs });
  const client = rollback
    ? new DigitalOceanClient({ token: token!, apiUrl: apiUrl?.toString(), logger })
    : undefined;
  // The token is checked now, not after the bake window when the rollback needs it.
  if (client) await checkRollbackAccess(client, appId!);
  logger.info(
    `Probing ${url} every ${intervalMs / 1000}s for ${windowMs / 1000}s (${planned} probes) after ${initialDelayMs / 1000}s` +
      `${expectedVersion ? `, expecting version ${expectedVersion}` : ''}`
  );
  const report = await runGate(
    {
      initialDelayMs,
      intervalMs,
      windowMs,
      thresholds: { successThreshold, failureThreshold, maxLatencyMs },
      rollback,
      rollbackTo
    },
    {
      probe: release.probe,
      restoredProbe: restored.probe,
      checkCertificate:
        url.protocol === 'https:'
          ? () => checkCertificate(url, { minDays: minCertificateDays, timeoutMs: requestTimeoutMs, clock })
          : undefined,
      rollback: client
        ? appPlatformRollback(client, {
            appId: appId!,
            pollIntervalMs: intervalMs,
            timeoutMs: ROLLBACK_TIMEOUT_MS,
            apiUrl: apiUrl?.toString(),
            logger
          })
        : undefined,
      clock,
      logger
    }
  ).finally(() => Promise.all([release.close(), restored.close()]));

  const w = report.window;
  return {
    outputs: {
      healthy: report.healthy,
      'rolled-back': report.rolledBack,
      outage: report.outage,
      'rollback-deployment-id': report.rollback?.rollbackDeploymentId ?? '',
      checks: w?.probes.length ?? 0,
      failures: w?.probes.filter(p => !p.ok).length ?? 0,
      'p95-latency-ms': w?.p95LatencyMs ?? '',
      'certificate-days-left': report.certificate?.daysLeft ?? ''
    },
    summary: gateSummary(report, { url: url.toString(), expectedVersion, maxLatencyMs }),
    failure: gateFailure(report)
  };
});

/** One GET of the app: a token the API refuses, or an app it cannot see, fails here naming the input. */
async function checkRollbackAccess(
  client: { getApp(id: string): Promise<unknown> },
  appId: string
): Promise<void> {
  try {
    await client.getApp(appId);
  } catch (error) {
    if (error instanceof RemoteError && (error.status === 401 || error.status === 403))
      throw new InputError(
        'token',
        `was refused by the DigitalOcean API, so no rollback would be possible: ${error.message}`
      );
    if (error instanceof RemoteError && error.status === 404)
      throw new InputError('app-id', `names no app this token can see: ${error.message}`);
    throw error;
  }
}
