// Loaded by main.ts once the inputs are valid, as ONE chunk: separate dynamic imports would each carry (and load)
// their own copy of the modules they share.
export { DigitalOceanClient } from '../../src/digitalocean/client.js';
export { deploy, loadSpecFile } from '../../src/digitalocean/deploy.js';
export { runOperation } from '../../src/digitalocean/operations.js';
export { renderDeploySummary, renderErrorSummary } from '../../src/digitalocean/summary.js';
