import { Inputs } from '../../src/kit/inputs.js';
import { runAction } from '../../src/kit/actions-io.js';

// Scaffolding: validates the required input, then says the action is not available yet.
await runAction(async () => {
  const inputs = new Inputs();
  inputs.string('image', { required: !process.env.GITHUB_REPOSITORY, hint: 'or run inside GitHub Actions so ghcr.io/<owner>/<repo> can be derived' });
  throw new Error('The build-image action is not available yet.');
});
