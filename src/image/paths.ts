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

/**
 * Resolves `context` against the workspace and `file` against the context first (`{context}/Dockerfile`, what
 * docker/build-push-action users expect), then against the workspace (a path like `app/Dockerfile` given from the
 * repository root); checks both before any builder runs.
 */
export function resolveBuildPaths(
  workspace: string,
  context: string,
  file: string
): { context: string; file: string } {
  const contextPath = isAbsolute(context) ? context : resolve(workspace, context);
  if (kind(contextPath) !== 'dir')
    throw new InputError('context', `'${context}' is not a directory (looked at ${contextPath})`);
  const candidates = isAbsolute(file) ? [file] : [resolve(contextPath, file), resolve(workspace, file)];
  const filePath = candidates.find(p => kind(p) !== undefined);
  if (filePath === undefined)
    throw new InputError(
      'file',
      `'${file}' does not exist (looked for ${[...new Set(candidates)].join(' and ')})`
    );
  if (kind(filePath) !== 'file') throw new InputError('file', `'${file}' is not a file (${filePath})`);
  return { context: contextPath, file: filePath };
}
