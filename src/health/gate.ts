import { cancellation } from '../kit/cancellation.js';
import { errorMessage } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import type { CertificateReport } from './certificate.js';
import { sharedCheckFault } from './check-fault.js';
import { decideEarly } from './decision.js';
import { formatProbeLine } from './probe-line.js';
import type { RollbackAttempt, RollbackPort } from './rollback-port.js';
import type { Clock, Probe, Thresholds } from './types.js';
import { runProbeWindow, type FinalDecision, type WindowResult } from './window.js';

/**
 * The whole gate: certificate check → bake window → (on failure) rollback → probe the restored version →
 * commit. Everything outside (HTTP, TLS, App Platform, time) comes in through `GateDeps`.
 */
export interface GateSettings {
  initialDelayMs: number;
  intervalMs: number;
  windowMs: number;
  thresholds: Thresholds;
  rollback: boolean;
  /** Deployment id to roll back to; undefined: the one active before the current one. */
  rollbackTo?: string;
}

export interface GateDeps {
  /** Probes the release (checks the expected version). */
  probe: Probe;
  /** Probes the restored version after a rollback (no version check: it is the old one). */
  restoredProbe: Probe;
  /** https only. */
  checkCertificate?: () => Promise<CertificateReport>;
  rollback?: RollbackPort;
  clock: Clock;
  logger: Logger;
}

export type GateDecision = FinalDecision | { state: 'fail'; cause: 'certificate'; reason: string };

export interface RollbackReport {
  targetDeploymentId?: string;
  rollbackDeploymentId?: string;
  warnings: string[];
  startedAt: number;
  /** When the rollback deployment was ACTIVE. */
  activeAt?: number;
  restored?: WindowResult;
  committed: boolean;
  endedAt: number;
  /** Why the rollback did not complete (refused, failed, restored version unhealthy, commit failed). */
  error?: string;
}

export interface GateReport {
  healthy: boolean;
  decision: GateDecision;
  window?: WindowResult;
  certificate?: CertificateReport;
  /** The certificate could not be read (the probes then tell whether the URL answers at all). */
  certificateError?: string;
  rollback?: RollbackReport;
  /** The app is serving no healthy version: the rollback failed or the restored version is unhealthy. */
  outage: boolean;
  /**
   * The release and the restored version failed the same way (e.g. `HTTP 404`): the URL or the check is the
   * likely fault, not the release, so this is reported instead of an outage.
   */
  likelyCheckFault?: string;
  rolledBack: boolean;
  startedAt: number;
  endedAt: number;
}

export async function runGate(s: GateSettings, deps: GateDeps): Promise<GateReport> {
  const { clock, logger } = deps;
  const startedAt = clock.now();
  const finish = (r: Omit<GateReport, 'startedAt' | 'endedAt'>): GateReport => ({
    ...r,
    startedAt,
    endedAt: clock.now()
  });

  let certificate: CertificateReport | undefined;
  let certificateError: string | undefined;
  if (deps.checkCertificate) {
    try {
      certificate = await deps.checkCertificate();
      logger.info(
        `Certificate of ${certificate.host}: ${certificate.subject ?? '?'} issued by ${certificate.issuer ?? '?'}, ` +
          `${certificate.daysLeft ?? '?'} days left${certificate.problems.length ? ` — ${certificate.problems.join('; ')}` : ''}`
      );
    } catch (error) {
      certificateError = errorMessage(error);
      logger.warning(`Could not read the certificate: ${certificateError}`);
    }
  }
  // A certificate problem belongs to the domain, not to the release: the previous deployment is served
  // with the same certificate, so rolling back cannot fix it. Fail without rolling back.
  if (certificate?.problems.length) {
    const reason = certificate.problems.join('; ');
    logger.error(`Health gate failed: ${reason}`);
    return finish({
      healthy: false,
      decision: { state: 'fail', cause: 'certificate', reason },
      certificate,
      outage: false,
      rolledBack: false
    });
  }

  const window = await runProbeWindow({
    probe: deps.probe,
    clock,
    initialDelayMs: s.initialDelayMs,
    intervalMs: s.intervalMs,
    windowMs: s.windowMs,
    thresholds: s.thresholds,
    onProbe: p => logger.info(formatProbeLine(p))
  });
  const base = { window, certificate, certificateError, decision: window.decision as GateDecision };
  if (window.decision.state === 'pass') {
    logger.info(`Health gate passed: ${window.decision.reason}`);
    return finish({ ...base, healthy: true, outage: false, rolledBack: false });
  }
  logger.error(`Health gate failed: ${window.decision.reason}`);
  if (!s.rollback || !deps.rollback) {
    logger.warning('rollback is false: the unhealthy release stays live.');
    return finish({ ...base, healthy: false, outage: false, rolledBack: false });
  }

  // Cancelled meanwhile: no rollback is started in the seconds left before the runner's SIGTERM (it could not
  // finish, and its rollback deployment would leave the app pinned). No outputs: deploy.yml's `decide` step,
  // which the runner does not cancel, gates the release again and rolls it back with time to finish.
  cancellation.throwIfCancelled();
  const rollback = await rollBack(s, deps, deps.rollback);
  deps.rollback.settle?.(rollback.committed ? undefined : rollback.rollbackDeploymentId);
  const likelyCheckFault =
    rollback.activeAt !== undefined ? sharedCheckFault(window, rollback.restored) : undefined;
  // Committing may fail while the healthy restored version serves: that is no outage, only a pinned app.
  const outage =
    !likelyCheckFault && (rollback.activeAt === undefined || rollback.restored?.decision.state !== 'pass');
  if (outage) {
    logger.error(
      'OUTAGE: the release is unhealthy and the automatic rollback did not restore a healthy version.'
    );
    logger.error(
      'OUTAGE: a human is needed now: check the app in the DigitalOcean control panel and its runtime logs.'
    );
  }
  return finish({
    ...base,
    healthy: false,
    rollback,
    outage,
    likelyCheckFault,
    rolledBack: rollback.activeAt !== undefined
  });
}

async function rollBack(s: GateSettings, deps: GateDeps, port: RollbackPort): Promise<RollbackReport> {
  const { clock, logger } = deps;
  const report: RollbackReport = { warnings: [], startedAt: clock.now(), committed: false, endedAt: 0 };
  const done = (error?: string) => ({ ...report, error, endedAt: clock.now() });
  let attempt: RollbackAttempt;
  try {
    const target = await port.resolveTarget(s.rollbackTo);
    report.targetDeploymentId = target.deploymentId;
    logger.info(
      `Rolling back to deployment ${target.deploymentId} (active was ${target.activeDeploymentId ?? 'unknown'})`
    );
    attempt = await port.rollback(target.deploymentId);
  } catch (error) {
    return done(`the rollback failed: ${errorMessage(error)}`);
  }
  report.rollbackDeploymentId = attempt.rollbackDeploymentId;
  report.warnings = attempt.warnings;
  if (attempt.failure !== undefined) return done(`the rollback failed: ${attempt.failure}`);
  report.activeAt = clock.now();

  // Probe the restored version briefly before making the rollback permanent: at most
  // success-threshold + failure-threshold - 1 probes decide it either way.
  const t = s.thresholds;
  logger.info(`Rollback deployment ${report.rollbackDeploymentId} is ACTIVE; probing the restored version`);
  report.restored = await runProbeWindow({
    probe: deps.restoredProbe,
    clock,
    initialDelayMs: 0,
    intervalMs: s.intervalMs,
    windowMs: (t.successThreshold + t.failureThreshold - 2) * s.intervalMs,
    thresholds: { successThreshold: t.successThreshold, failureThreshold: t.failureThreshold },
    rules: decideEarly,
    onProbe: p => logger.info(`restored ${formatProbeLine(p)}`)
  });
  if (report.restored.decision.state !== 'pass')
    return done(
      `the restored version is unhealthy too (${report.restored.decision.reason}); the app stays pinned to rollback deployment ` +
        `${report.rollbackDeploymentId} and no rollback was committed`
    );
  try {
    await port.commit();
    report.committed = true;
  } catch (error) {
    // The restored version serves and is healthy; only the unpinning failed.
    return done(
      `committing the rollback failed (the app stays pinned, serving the healthy restored version): ${errorMessage(error)}`
    );
  }
  logger.info(`Rollback committed: deployment ${report.rollbackDeploymentId} serves the previous release`);
  return done();
}
