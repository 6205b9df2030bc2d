#!/usr/bin/env node
// npx entry: the bundled CLI (dist/cli), which runs the action bundles in dist/<action>/.
process.env.APP_PIPELINE_CLI_MAIN = '1';
await import('../dist/cli/index.js');
