import type { GateReport } from './gate.js';

/** The one line the step fails with, or undefined when the gate passed. */
export function gateFailure(r: GateReport): string | undefined {
  if (r.healthy) return undefined;
  if (r.likelyCheckFault)
    return (
      `The health URL or the check is the likely fault, not the release: the release and the version restored by ` +
      `rollback deployment ${r.rollback?.rollbackDeploymentId} both fail the same way (${r.likelyCheckFault}). ` +
      `Check the url input (path, host, auth) and the app's health endpoint`
    );
  if (r.outage) return `OUTAGE: ${r.rollback?.error ?? 'the rollback did not complete'}`;
  if (r.rolledBack)
    return (
      `The release failed the health gate (${r.decision.reason}) and was rolled back to deployment ` +
      `${r.rollback?.targetDeploymentId} (rollback deployment ${r.rollback?.rollbackDeploymentId})` +
      (r.rollback?.error ? `; ${r.rollback.error}` : '')
    );
  return `The release failed the health gate: ${r.decision.reason}`;
}
