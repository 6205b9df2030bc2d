import { Inputs } from '../../src/kit/inputs.js';
import { runAction } from '../../src/kit/actions-io.js';

// Scaffolding: validates the required input, then says the action is not available yet.
await runAction(async () => {
  const inputs = new Inputs();
  inputs.secret('token', { required: true, hint: 'a DigitalOcean API token with app read/write scope' });
  throw new Error('The deploy-app-platform action is not available yet.');
});
