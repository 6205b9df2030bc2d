import * as core from '@actions/core';
import { errorMessage } from './errors.js';
import { redact, setMaskHook } from './secrets.js';

/**
 * The only bridge from src/ to @actions/core, used by the glue in actions/<name>/main.ts:
 * one try/catch ending in setFailed, masking wired to the runner, outputs set even when failing.
 */
export type Outputs = Record<string, string | number | boolean | undefined>;

export function setOutputs(outputs: Outputs): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    core.setOutput(name, redact(String(value)));
  }
}

/**
 * Runs an action's main. `main` may call `setOutputs` as it goes, so that a failure after a partial result
 * still leaves outputs for later steps (docker/build-push-action style).
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  setMaskHook(core.setSecret);
  try {
    await main();
  } catch (error) {
    core.setFailed(redact(errorMessage(error)));
  }
}
