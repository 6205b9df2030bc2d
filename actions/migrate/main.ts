import { Inputs } from '../../src/kit/inputs.js';
import { runAction } from '../../src/kit/actions-io.js';

// Scaffolding: validates the required input, then says the action is not available yet.
await runAction(async () => {
  const inputs = new Inputs();
  inputs.url('database-url', { protocols: ['postgres:', 'postgresql:'], required: true, secretPassword: true });
  throw new Error('The migrate action is not available yet.');
});
