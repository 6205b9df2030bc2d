/** What the scenario tests share: the caller repository, the pipeline repository, and the remote-service stand-ins. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RepositoryDefinition, RunReport } from '../../../test-support/workflow-runner/index.js';
import { pipelineRepository } from '../../../test-support/workflow-runner/repositories.js';
import type { S3Server } from '../../../test-support/shared.js';

export const CALLER = 'acme/signupflow';
export const CALLER_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

/** A caller repository holding only its workflow file (what the backup and drill callers need). */
export function callerRepository(files: Record<string, string> = {}): RepositoryDefinition {
  const dir = mkdtempSync(join(tmpdir(), 'caller-repo-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, visibility: 'private', sha: CALLER_SHA };
}

export const repositories = (caller: RepositoryDefinition, pipeline = pipelineRepository()) => ({
  [CALLER]: caller,
  'your-org/app-platform-pipeline': pipeline
});

/** Spaces is played by the local Ceph RGW: the README's endpoint and bucket are pointed at it. */
export function spacesStandIn(s3: S3Server) {
  return (_action: string, inputs: Record<string, string>): Record<string, string> =>
    inputs['storage-url'] === undefined
      ? inputs
      : {
          ...inputs,
          'storage-url': inputs['storage-url'].replace(/^s3:\/\/[^/]+/, `s3://${s3.bucket}`),
          's3-endpoint': s3.endpoint,
          's3-force-path-style': 'true'
        };
}

export const step = (report: RunReport, job: string, id: string) => {
  const j = report.jobs.find(x => x.id === job);
  if (!j)
    throw new Error(`no job ${job}: ${report.jobs.map(x => x.id).join(', ')}\n${report.log.join('\n')}`);
  const s = j.steps.find(x => x.id === id && !x.post);
  if (!s) throw new Error(`no step ${id} in ${job}: ${j.steps.map(x => x.id).join(', ')}`);
  return s;
};

export {
  DEBIAN_PYTHON,
  PUBLIC_HEALTH_URL,
  releaseStandIns,
  signupflowRepository
} from '../../../test-support/workflow-runner/signupflow.js';
