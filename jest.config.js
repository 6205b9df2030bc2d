// jest in ESM mode: @actions/* are ESM-only, so tests run as ES modules (see DESIGN.md, toolchain).
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  // Outside TMPDIR, which scripts/test.sh points at a per-run directory it removes.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.lint.json', diagnostics: { ignoreCodes: [151002] } }
    ]
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 120000,
  // The local stack is shared: tests talk to real servers, so they run one file at a time.
  maxWorkers: 1,
  verbose: false
};
