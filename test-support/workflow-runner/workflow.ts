/**
 * Loads a workflow with GitHub's parser: schema validation and conversion by @actions/workflow-parser, plus the
 * raw template tokens of the keys its model leaves out (`timeout-minutes`, `permissions`, a step's `with:`).
 */
import {
  convertWorkflowTemplate,
  isMapping,
  isSequence,
  NoOperationTraceWriter,
  parseWorkflow,
  type WorkflowTemplate
} from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import { onlyKnown } from './unsupported.js';

export interface LoadedWorkflow {
  path: string;
  template: WorkflowTemplate;
  /** Raw mapping of each job, by id. */
  rawJobs: Map<string, MappingToken>;
  /** Raw top-level keys (permissions, concurrency, env, name). */
  raw: MappingToken;
}

const WORKFLOW_KEYS = ['name', 'on', 'permissions', 'concurrency', 'jobs', 'env'];
export const JOB_KEYS = [
  'name',
  'needs',
  'if',
  'runs-on',
  'timeout-minutes',
  'permissions',
  'environment',
  'outputs',
  'steps',
  'env',
  'services',
  'concurrency'
];
export const CALLER_JOB_KEYS = [
  'name',
  'needs',
  'if',
  'permissions',
  'uses',
  'with',
  'secrets',
  'concurrency'
];
export const STEP_KEYS = ['id', 'name', 'if', 'uses', 'with', 'env', 'run', 'shell', 'working-directory'];

/** A mapping key's text (keys are string tokens). */
export const keyOf = (key: TemplateToken): string => key.assertString('mapping key').value;

export const rawKeys = (m: MappingToken): string[] => [...m].map(p => keyOf(p.key));
export const rawGet = (m: MappingToken | undefined, key: string): TemplateToken | undefined => m?.find(key);

export async function loadWorkflow(path: string, content: string): Promise<LoadedWorkflow> {
  const parsed = parseWorkflow({ name: path, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors();
  if (errors.length > 0 || !parsed.value)
    throw new Error(`${path}: ${errors.map(e => e.message).join('; ') || 'not a workflow'}`);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  if (template.errors?.length) throw new Error(`${path}: ${template.errors.map(e => e.Message).join('; ')}`);
  const raw = parsed.value as MappingToken;
  onlyKnown(`${path} (top level)`, rawKeys(raw), WORKFLOW_KEYS);
  const rawJobs = new Map<string, MappingToken>();
  const jobs = raw.find('jobs');
  if (jobs && isMapping(jobs))
    for (const pair of jobs) {
      const id = keyOf(pair.key);
      if (!isMapping(pair.value)) throw new Error(`${path}: job ${id} is not a mapping`);
      rawJobs.set(id, pair.value);
      const keys = rawKeys(pair.value);
      onlyKnown(`${path} job ${id}`, keys, keys.includes('uses') ? CALLER_JOB_KEYS : JOB_KEYS);
      const steps = pair.value.find('steps');
      if (steps && isSequence(steps))
        for (const step of steps)
          if (isMapping(step)) onlyKnown(`${path} job ${id} step`, rawKeys(step), STEP_KEYS);
    }
  return { path, template, rawJobs, raw };
}

/** The raw mapping of step `index` of job `id`. */
export function rawStep(wf: LoadedWorkflow, id: string, index: number): MappingToken {
  const steps = wf.rawJobs.get(id)?.find('steps');
  if (!steps || !isSequence(steps)) throw new Error(`${wf.path}: job ${id} has no steps`);
  const step = steps.get(index);
  if (!isMapping(step)) throw new Error(`${wf.path}: job ${id} step ${index + 1} is not a mapping`);
  return step;
}
