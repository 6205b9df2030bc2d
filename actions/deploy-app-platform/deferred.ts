// Loaded by main.ts once the inputs are valid, as ONE chunk: separate dynamic imports would each carry (and load)
// their own copy of the modules they share.
export { DigitalOceanClient } from '../../src/digitalocean/client.js';
export { deploy } from '../../src/digitalocean/deploy.js';
export { loadSpecFile } from '../../src/digitalocean/spec-file.js';
export { runOperation } from '../../src/digitalocean/operations.js';
export {
  renderDeleteSummary,
  renderDeploySummary,
  renderNotStartedSummary,
  renderOperationSummary
} from '../../src/digitalocean/summary.js';
