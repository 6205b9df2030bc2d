import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONTRACTS, DEFAULTS, POST_STEPS } from './contracts.js';

const root = join(import.meta.dirname, '..', '..');

interface ActionYaml {
  name: string;
  description: string;
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

const load = (name: string) =>
  parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')) as ActionYaml;

describe('action.yml contracts', () => {
  it('there is exactly one action folder per contract', () => {
    const folders = readdirSync(join(root, 'actions')).filter(d =>
      existsSync(join(root, 'actions', d, 'action.yml'))
    );
    expect(folders.sort()).toEqual(Object.keys(CONTRACTS).sort());
  });

  describe.each(Object.entries(CONTRACTS))('%s', (name, contract) => {
    const action = load(name);
    const readme = existsSync(join(root, 'actions', name, 'README.md'))
      ? readFileSync(join(root, 'actions', name, 'README.md'), 'utf8')
      : '';

    it('runs on node24 from its own ncc bundle', () => {
      expect(action.runs).toEqual({
        using: 'node24',
        main: `../../dist/${name}/index.js`,
        ...POST_STEPS[name]
      });
      expect(action.name).toBeTruthy();
      expect(action.description).toBeTruthy();
    });

    it('declares every input of DESIGN.md, each described, optional ones with a default', () => {
      for (const input of contract.inputs) expect(Object.keys(action.inputs)).toContain(input);
      for (const [input, spec] of Object.entries(action.inputs)) {
        expect(`${input}: ${spec.description ?? ''}`.length).toBeGreaterThan(input.length + 10);
        expect(input).toMatch(/^[a-z][a-z0-9-]*$/);
        if (!spec.required) expect(typeof spec.default).toBe('string');
      }
      const required = Object.entries(action.inputs)
        .filter(([, s]) => s.required)
        .map(([n]) => n);
      expect(required.sort()).toEqual((contract.required ?? []).sort());
    });

    it('inputs beyond DESIGN.md are documented in the action README', () => {
      const extras = Object.keys(action.inputs).filter(i => !contract.inputs.includes(i));
      for (const extra of extras) expect(readme).toContain(extra);
    });

    it('keeps the defaults DESIGN.md fixes', () => {
      for (const [input, value] of Object.entries(DEFAULTS[name] ?? {}))
        expect(action.inputs[input]?.default).toBe(value);
    });

    it('declares exactly the outputs of DESIGN.md, each described', () => {
      expect(Object.keys(action.outputs).sort()).toEqual([...contract.outputs].sort());
      for (const spec of Object.values(action.outputs)) expect(spec.description).toBeTruthy();
    });
  });
});
