import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../kit/errors.js';
import { redact } from '../kit/secrets.js';
import type { DeployRun } from './deploy-run.js';

const TAIL_LINES = 40;
/** Outputs travel through $GITHUB_OUTPUT (never env vars: app_action #155), and a job's outputs share 1 MB. */
const OUTPUT_LOG_BYTES = 64 * 1024;

/**
 * A deployment's BUILD and DEPLOY logs: each stage's text as the build-logs/deploy-logs outputs (capped), its tail
 * printed in a group as `print-logs` says (on failure by default), the whole text in a file under `logDir`.
 * Returns the file, if any log was found.
 */
export async function collectDeploymentLogs(
  run: DeployRun,
  appId: string,
  deploymentId: string,
  success: boolean
): Promise<string | undefined> {
  const { req, log } = run;
  if (req.printLogs === 'never') return undefined;
  // Fetched on success too, for the build-logs/deploy-logs outputs; printed only as print-logs says.
  const print = req.printLogs === 'always' || !success;
  const sections: string[] = [];
  for (const type of ['BUILD', 'DEPLOY'] as const) {
    let text: string | undefined;
    try {
      text = await run.client.getDeploymentLogs(appId, deploymentId, undefined, type);
    } catch (error) {
      log.warning(`Could not fetch ${type} logs: ${errorMessage(error)}`);
      continue;
    }
    if (text === undefined || text.trim() === '') {
      log.info(`No ${type} logs for deployment ${deploymentId} (stage skipped or not reached)`);
      continue;
    }
    sections.push(`===== ${type} logs, deployment ${deploymentId} =====\n${text.trimEnd()}\n`);
    run.set({ [type === 'BUILD' ? 'build-logs' : 'deploy-logs']: capOutput(text.trimEnd()) });
    if (!print) continue;
    const lines = text.trimEnd().split('\n');
    const tail = lines.slice(-TAIL_LINES);
    await log.group(
      `${type} logs${lines.length > TAIL_LINES ? ` (last ${TAIL_LINES} of ${lines.length} lines)` : ''}`,
      async () => {
        for (const line of tail) log.info(line);
      }
    );
  }
  if (!sections.length) return undefined;
  mkdirSync(req.logDir, { recursive: true });
  const file = join(req.logDir, `deploy-${deploymentId}.log`);
  writeFileSync(file, redact(sections.join('\n')));
  log.info(`Full logs: ${file}`);
  return file;
}

function capOutput(text: string): string {
  if (Buffer.byteLength(text) <= OUTPUT_LOG_BYTES) return text;
  const tail = Buffer.from(text).subarray(-OUTPUT_LOG_BYTES).toString('utf8');
  return `[first ${Buffer.byteLength(text) - OUTPUT_LOG_BYTES} bytes left out; the full log is in the log file]\n${tail.slice(tail.indexOf('\n') + 1)}`;
}
