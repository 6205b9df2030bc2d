import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../kit/errors.js';

const kind = (path: string): 'file' | 'dir' | 'other' | undefined => {
  try {
    const s = statSync(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch {
    return undefined;
  }
};

/** Resolves `context` and `file` against the workspace and checks them before any builder runs. */
export function resolveBuildPaths(
  workspace: string,
  context: string,
  file: string
): { context: string; file: string } {
  const contextPath = isAbsolute(context) ? context : resolve(workspace, context);
  const filePath = isAbsolute(file) ? file : resolve(workspace, file);
  if (kind(contextPath) !== 'dir')
    throw new InputError('context', `'${context}' is not a directory (looked at ${contextPath})`);
  const fileKind = kind(filePath);
  if (fileKind === undefined)
    throw new InputError('file', `'${file}' does not exist (looked for ${filePath})`);
  if (fileKind !== 'file') throw new InputError('file', `'${file}' is not a file (${filePath})`);
  return { context: contextPath, file: filePath };
}
