/**
 * Every `${{ }}` of a workflow is evaluated here by GitHub's own engine (@actions/expressions: lexer, parser,
 * evaluator, coercion rules); template tokens come from @actions/workflow-parser, which has already turned
 * `a ${{ x }} b` into `format('a {0} b', x)` and wrapped `if:` conditions in `success() && (...)`.
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import {
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString
} from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { Unsupported } from './unsupported.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Contexts = Record<string, Json>;

/** What the status functions see: the job's (or, for job `if:`, the needs') state. */
export interface Status {
  failed: boolean;
  cancelled: boolean;
  /** Job `if:` only: a needed job was skipped, so success() is false (GitHub skips the dependents of a skipped job). */
  needSkipped?: boolean;
}

const statusFunctions = (status: Status): Map<string, FunctionDefinition> => {
  const fn = (name: string, value: () => boolean): [string, FunctionDefinition] => [
    name,
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value()) }
  ];
  return new Map([
    fn('success', () => !status.failed && !status.cancelled && !status.needSkipped),
    fn('failure', () => status.failed && !status.cancelled),
    fn('cancelled', () => status.cancelled),
    fn('always', () => true)
  ]);
};

const toData = (value: Json): data.ExpressionData =>
  JSON.parse(JSON.stringify(value), data.reviver) as data.ExpressionData;

const toJson = (value: data.ExpressionData): Json => JSON.parse(JSON.stringify(value, data.replacer)) as Json;

/** Evaluates one expression (without `${{ }}`) against the contexts. */
export function evaluate(expression: string, contexts: Contexts, status?: Status): Json {
  const functions = statusFunctions(status ?? { failed: false, cancelled: false });
  const tokens = new Lexer(expression).lex().tokens;
  const tree = new Parser(tokens, Object.keys(contexts), [...functions.values()]).parse();
  const dict = toData(contexts as Json) as data.Dictionary;
  return toJson(new Evaluator(tree, dict, functions).evaluate());
}

/** Evaluates a template token (literal, expression, mapping, sequence) to plain JSON. */
export function evaluateToken(token: TemplateToken | undefined, contexts: Contexts, status?: Status): Json {
  if (token === undefined) return null;
  if (isBasicExpression(token)) return evaluate(token.expression, contexts, status);
  if (isString(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isMapping(token)) {
    const out: Record<string, Json> = {};
    for (const pair of token)
      out[asString(evaluateToken(pair.key, contexts, status))] = evaluateToken(pair.value, contexts, status);
    return out;
  }
  if (isSequence(token)) {
    const out: Json[] = [];
    for (const item of token) out.push(evaluateToken(item, contexts, status));
    return out;
  }
  if (token.typeName() === 'Null') return null;
  throw new Unsupported(`template token ${token.typeName()} (e.g. \${{ insert }})`);
}

/** How the runner turns a value into an input or environment string (null -> '', true -> 'true'). */
export function asString(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The truthiness GitHub applies to an `if:` result (null, false, 0, NaN and '' are false). */
export function truthy(value: Json): boolean {
  if (value === null || value === false || value === '') return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}
