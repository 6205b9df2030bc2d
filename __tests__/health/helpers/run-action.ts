import { runActionBundle } from '../../../bin/run-bundle.js';

/** Runs dist/health-gate/index.js as GitHub would: INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. */
export interface ActionRun {
  code: number | null;
  /** stdout and stderr together, verbatim. */
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

export async function runHealthGate(
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<ActionRun> {
  // No GITHUB_* from the environment jest runs in: only what the test gives.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GITHUB_')));
  const run = await runActionBundle({
    name: 'health-gate',
    inputs,
    env: { ...clean, ...env },
    onLine: () => {}
  });
  return { code: run.code, stdout: run.stdout + run.stderr, outputs: run.outputs, summary: run.summary };
}
/** Runs assertions on a run; when one fails, the action's log is added to the failure so it can be read. */
export async function explain(run: ActionRun, assertions: () => void | Promise<void>): Promise<void> {
  try {
    await assertions();
  } catch (error) {
    if (error instanceof Error) error.message += `\n--- action log ---\n${run.stdout}`;
    throw error;
  }
}
