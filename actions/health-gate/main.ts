import { Inputs } from '../../src/kit/inputs.js';
import { runAction } from '../../src/kit/actions-io.js';

// Scaffolding: validates the required input, then says the action is not available yet.
await runAction(async () => {
  const inputs = new Inputs();
  inputs.url('url', { protocols: ['http:', 'https:'], required: true });
  throw new Error('The health-gate action is not available yet.');
});
