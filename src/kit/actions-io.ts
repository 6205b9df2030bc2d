import { cancellation } from './cancellation.js';
import { InputError, RemoteError, errorMessage } from './errors.js';
import { containsSecret, redact, setMaskHook } from './secrets.js';
import { Summary } from './summary.js';
import { addMask, setFailed, setOutput, warning } from './workflow-commands.js';

/**
 * How the glue in actions/<name>/main.ts talks to the runner (workflow-commands.ts):
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
    if (containsSecret(text)) warning(`Output '${name}' not set: its value contains a secret`);
    else setOutput(name, text);
  }
}

/**
 * What every action's logic returns: the glue sets the outputs, writes the summary sections, then fails the step
 * with `failure` when it is set. A failure the domain understands (a drill mismatch, a deployment in ERROR, an
 * unhealthy release) is returned here; only input errors and the unexpected are thrown.
 */
export interface ActionResult {
  outputs?: Outputs;
  /** Markdown sections for the job summary, rendered by the domain's `summary.ts`. */
  summary?: readonly string[];
  /** The step's one error line; the step fails when set. */
  failure?: string;
}

/**
 * Runs an action's main and ends every action the same way: outputs, summary, then the failure if any.
 * `main` may also call `setOutputs` as it goes, so that a failure after a partial result still leaves outputs for
 * later steps (docker/build-push-action style). A thrown error gets a summary too (`thrownSummary`).
 * On SIGINT/SIGTERM: children stopped, undo steps run (see cancellation.ts), `main` given the rest of the budget
 * to unwind, then a "cancelled" summary and failure line, exit 1.
 */
export async function runAction(main: () => Promise<ActionResult | void>): Promise<void> {
  setMaskHook(addMask);
  const unlisten = cancellation.listen();
  const settled = main().then(
    result => ({ result: result ?? undefined, error: undefined as unknown, failed: false }),
    (error: unknown) => ({ result: undefined, error, failed: true })
  );
  const first = await Promise.race([settled, cancellation.stopped().then(() => undefined)]);
  if (cancellation.cancelled) {
    await cancellation.stopped();
    // main's own finally blocks (closing connections, releasing a lock after its child exited) may still run.
    await Promise.race([settled, new Promise(resolve => setTimeout(resolve, cancellation.remainingMs()))]);
    writeCancelledSummary();
    setFailed(redact(cancelledLine()));
    unlisten();
    process.exit(1);
  }
  unlisten();
  if (!first) return;
  if (first.failed) {
    const message = errorMessage(first.error);
    new Summary().add(thrownSummary(first.error, message)).write();
    setFailed(redact(message));
    return;
  }
  const result = first.result;
  if (!result) return;
  if (result.outputs) setOutputs(result.outputs);
  const summary = new Summary();
  for (const section of result.summary ?? []) summary.add(section);
  summary.write();
  if (result.failure) setFailed(redact(result.failure));
}

/**
 * The summary of a step that threw: whatever the action's own summary said so far, it also says why it failed —
 * which input to fix, or which call the server refused (with its request id), or the unexpected error's line.
 */
export function thrownSummary(error: unknown, message = errorMessage(error)): string {
  if (error instanceof InputError)
    return `## Failed: input \`${error.input}\`\n\n${message}\n\nFix the input \`${error.input}\` and re-run.`;
  if (error instanceof RemoteError) return `## Failed: ${error.call}\n\n${message}`;
  return `## Failed\n\n${message}`;
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
