import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';

/**
 * GitHub's workflow commands, written as the runner reads them (docs.github.com, "Workflow commands for GitHub
 * Actions"): `::name key=value::message` lines on stdout, and outputs and post-step state appended to the files
 * GITHUB_OUTPUT and GITHUB_STATE name. The actions speak this protocol themselves rather than load
 * @actions/core, which imports an HTTP client (undici, for OIDC tokens) that none of them needs: about 0.15 s of
 * CPU at every action's start on the runner's Node 24 (`node -e "import '@actions/core'"` against a bare start).
 */

/** A command's message: `%`, CR and LF escaped, as the runner unescapes them. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value: also `:` and `,`, which separate properties. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command line (without its newline). */
export function commandLine(name: string, message: string, properties: Record<string, string> = {}): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

function issue(name: string, message: string, properties?: Record<string, string>): void {
  process.stdout.write(`${commandLine(name, message, properties)}\n`);
}

/**
 * `name=value` for the runner: appended to the file `fileVariable` names, as a heredoc with a random delimiter
 * (a value may hold newlines), or, outside a runner that sets the file, the older stdout command.
 */
function setNamedValue(fileVariable: string, stdoutCommand: string, name: string, value: string): void {
  const file = process.env[fileVariable];
  if (!file) {
    process.stdout.write('\n');
    issue(stdoutCommand, value, { name });
    return;
  }
  if (!existsSync(file)) throw new Error(`${fileVariable} names ${file}, which does not exist`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`the value of '${name}' holds its own delimiter`);
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`, 'utf8');
}

export function setOutput(name: string, value: string): void {
  setNamedValue('GITHUB_OUTPUT', 'set-output', name, value);
}

/** State for the action's `post:` step, which reads it back as STATE_<name>. */
export function saveState(name: string, value: string): void {
  setNamedValue('GITHUB_STATE', 'save-state', name, value);
}

/** The value the main step saved, '' when none was. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? '';
}

/** Masks `secret` in everything the runner prints from now on. */
export function addMask(secret: string): void {
  issue('add-mask', secret);
}

export function warning(message: string): void {
  issue('warning', message);
}

/** Fails the step: an error annotation, and exit code 1 once node exits. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  issue('error', message);
}
