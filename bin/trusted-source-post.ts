// The `post:` step of migrate and backup (action.yml `post-if: always()`): removes the trusted source the main step
// added to the database firewall, also after a failed or cancelled main step.
import { closeTrustedSource } from '../src/digitalocean/trusted-source.js';
import { runAction } from '../src/kit/actions-io.js';
import { Inputs } from '../src/kit/inputs.js';
import { createLogger } from '../src/kit/log.js';

await runAction(() => closeTrustedSource(new Inputs(), createLogger()));
