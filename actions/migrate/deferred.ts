// Loaded by main.ts once the inputs are valid, as ONE chunk: separate dynamic imports would each carry (and load)
// their own copy of the modules they share.
export { migrate } from '../../src/alembic/migrate.js';
export { migrationSummary } from '../../src/alembic/summary.js';
export {
  baseInterpreter,
  commandInVirtualenv,
  prepareVirtualenv,
  virtualenvEnv
} from '../../src/alembic/virtualenv.js';
export { openDirectConnection } from '../../src/postgres/advisory-lock.js';
export { describeConnection } from '../../src/postgres/url.js';
