/** Our own JavaScript actions, read from their action.yml with GitHub's action parser. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import {
  convertActionTemplate,
  parseAction,
  type ActionTemplate
} from '@actions/workflow-parser/actions/index';
import { Unsupported } from './unsupported.js';

export interface NodeAction {
  dir: string;
  template: ActionTemplate;
  main: string;
  post?: string;
  postIf: string;
}

export function loadNodeAction(dir: string): NodeAction | string {
  const file = ['action.yml', 'action.yaml'].map(f => join(dir, f)).find(existsSync);
  // The runner's words when a local action is not there (e.g. its checkout was skipped or went elsewhere).
  if (!file)
    return `Can't find 'action.yml', 'action.yaml' or 'Dockerfile' under '${dir}'. Did you forget to run actions/checkout before running your local action?`;
  const parsed = parseAction(
    { name: file, content: readFileSync(file, 'utf8') },
    new NoOperationTraceWriter()
  );
  const errors = parsed.context.errors.getErrors();
  if (errors.length || !parsed.value) throw new Error(`${file}: ${errors.map(e => e.message).join('; ')}`);
  const template = convertActionTemplate(parsed.context, parsed.value);
  const runs = template.runs as {
    using: string;
    main?: string;
    post?: string;
    postIf?: string;
    pre?: string;
  };
  if (!/^node(20|24)$/.test(runs.using)) throw new Unsupported(`runs.using '${runs.using}' (${file})`);
  if (runs.pre) throw new Unsupported(`runs.pre (${file})`);
  return {
    dir,
    template,
    main: join(dir, runs.main!),
    post: runs.post ? join(dir, runs.post) : undefined,
    // The runner's default for a missing post-if.
    postIf: runs.postIf ?? 'always()'
  };
}

/** INPUT_<NAME> exactly as the runner names it: spaces to `_`, upper-cased, hyphens kept (Handler.cs). */
export const inputEnvName = (input: string): string => `INPUT_${input.replace(/ /g, '_').toUpperCase()}`;
