import * as core from '@actions/core';
import { cancellation } from './cancellation.js';
import { errorMessage } from './errors.js';
import { containsSecret, redact, setMaskHook } from './secrets.js';
import { Summary } from './summary.js';

/**
 * The only bridge from src/ to @actions/core, used by the glue in actions/<name>/main.ts:
 * one try/catch ending in setFailed, masking wired to the runner, outputs set even when failing,
 * and the one cancellation path (src/kit/cancellation.ts) installed for every action.
 */
export type Outputs = Record<string, string | number | boolean | undefined>;

/**
 * Sets step outputs. An output holding a secret is never written masked (a value garbled to `*** …` misleads the
 * next step and shows where the secret occurs): it is skipped with a warning naming it, as GitHub's runner does
 * for job outputs (actions/runner src/Runner.Worker/JobExtension.cs "Skip output '…' since it may contain
 * secret.").
 */
export function setOutputs(outputs: Outputs): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    const text = String(value);
    if (containsSecret(text)) core.warning(`Output '${name}' not set: its value contains a secret`);
    else core.setOutput(name, text);
  }
}

/**
 * Runs an action's main. `main` may call `setOutputs` as it goes, so that a failure after a partial result
 * still leaves outputs for later steps (docker/build-push-action style).
 * On SIGINT/SIGTERM: children stopped, undo steps run (see cancellation.ts), `main` given the rest of the budget
 * to unwind, then a "cancelled" summary and failure line, exit 1.
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  setMaskHook(core.setSecret);
  const unlisten = cancellation.listen();
  const settled = main().then(
    () => ({ error: undefined as unknown, failed: false }),
    (error: unknown) => ({ error, failed: true })
  );
  const first = await Promise.race([settled, cancellation.stopped().then(() => undefined)]);
  if (cancellation.cancelled) {
    await cancellation.stopped();
    // main's own finally blocks (closing connections, releasing a lock after its child exited) may still run.
    await Promise.race([settled, new Promise(resolve => setTimeout(resolve, cancellation.remainingMs()))]);
    writeCancelledSummary();
    core.setFailed(redact(cancelledLine()));
    unlisten();
    process.exit(1);
  }
  unlisten();
  if (first?.failed) {
    const message = errorMessage(first.error);
    // Whatever the action's own summary said so far, the step's summary also says why it failed.
    new Summary().heading('Failed').add(message).write();
    core.setFailed(redact(message));
  }
}

function cancelledLine(): string {
  const left = cancellation.left.length
    ? `; left: ${cancellation.left.join('; ')}`
    : '; nothing of this run left';
  const undone = cancellation.undone.length ? `; undone: ${cancellation.undone.join('; ')}` : '';
  return `Cancelled by ${cancellation.reason ?? 'a signal'}${undone}${left}`;
}

function writeCancelledSummary(): void {
  const list = (items: string[]) => items.map(i => `- ${i}`).join('\n');
  const summary = new Summary()
    .heading('Cancelled')
    .add(`The run was cancelled by ${cancellation.reason ?? 'a signal'}: running programs were stopped.`);
  if (cancellation.undone.length) summary.add(`Undone:\n\n${list(cancellation.undone)}`);
  summary.add(
    cancellation.left.length ? `Left:\n\n${list(cancellation.left)}` : 'Nothing this run started is left.'
  );
  summary.write();
}
