import { readFileSync } from 'node:fs';
import { InputError } from '../kit/errors.js';

/** The label that records which stage an image was built from, so skip-existing never reuses another stage. */
export const TARGET_LABEL = 'app-platform-pipeline.build-target';

// BuildKit's stage-name rule (dockerfile/instructions/parse.go: `^[a-z][a-z0-9-_.]*$`, after lower-casing).
const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

/** `FROM <image> AS <name>` names, as written. */
export function stageNames(dockerfile: string): string[] {
  const names: string[] = [];
  for (const line of dockerfile.split(/\r?\n/)) {
    const m = /^\s*FROM\s+(?:--\S+\s+)*\S+\s+AS\s+(\S+)\s*$/i.exec(line);
    if (m) names.push(m[1]!);
  }
  return names;
}

/**
 * Checks the `target` input against the Dockerfile before any builder runs: a typo would otherwise surface
 * minutes later as a builder error, or (with docker) not at all when the last stage happens to build.
 */
export function checkTarget(target: string, file: string): string {
  if (!STAGE_NAME.test(target.toLowerCase()))
    throw new InputError(
      'target',
      `'${target}' is not a stage name (letters, digits, '-', '_', '.'; starts with a letter)`
    );
  const stages = stageNames(readFileSync(file, 'utf8'));
  // BuildKit lower-cases stage names, buildah compares them as written: the Dockerfile's spelling works for both.
  const stage = stages.find(s => s.toLowerCase() === target.toLowerCase());
  if (stage === undefined)
    throw new InputError(
      'target',
      `no stage '${target}' in ${file} (stages: ${stages.length ? stages.join(', ') : 'none named with FROM ... AS'})`
    );
  return stage;
}
