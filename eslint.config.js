import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/.venv/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Logic below the glue must not depend on the runner toolkit (DESIGN.md: no @actions/* under src/).
      'no-restricted-imports': 'off'
    }
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/kit/actions-io.ts', 'src/kit/action-state.ts', 'src/kit/summary.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@actions/*'],
              message: 'Only actions/*/main.ts and src/kit glue helpers import @actions/*.'
            }
          ]
        }
      ]
    }
  }
);
