/**
 * The README's callers with `trusted-source: runner-ip` (the one line a team with a locked-down database adds, plus
 * the DIGITALOCEAN_TOKEN secret where the caller does not pass it yet), and the stand-ins that point the actions'
 * firewall client at the simulator and their runner-IP lookup at the local stand-in (issue 15).
 */
import type { RunOptions } from './index.js';

type InputsRewrite = NonNullable<NonNullable<RunOptions['rewrite']>['inputs']>;

/** `caller` with `trusted-source: runner-ip` in its called job's `with:` and the token among its secrets. */
export function withTrustedSource(caller: string): string {
  const withLine = /^( +)with:\n/m.exec(caller);
  if (!withLine) throw new Error('the caller has no with: block');
  let out = caller.replace(withLine[0], `${withLine[0]}${withLine[1]}  trusted-source: runner-ip\n`);
  if (!/DIGITALOCEAN_TOKEN:/.test(out)) {
    const secrets = /^( +)secrets:\n/m.exec(out);
    if (!secrets) throw new Error('the caller has no secrets: block');
    out = out.replace(
      secrets[0],
      `${secrets[0]}${secrets[1]}  DIGITALOCEAN_TOKEN: \${{ secrets.DIGITALOCEAN_TOKEN }}\n`
    );
  }
  return out;
}

/** migrate and backup reach the simulator's databases API and learn their "public" address from the stand-in. */
export const trustedSourceStandIn =
  (locked: { sim: { url: string }; ipService: { url: string } }): InputsRewrite =>
  (action, inputs) =>
    action === 'migrate' || action === 'backup'
      ? { ...inputs, 'api-url': locked.sim.url, 'runner-ip-url': locked.ipService.url }
      : inputs;

/** Several input rewrites, applied in order. */
export const chainInputs =
  (...rewrites: (InputsRewrite | undefined)[]): InputsRewrite =>
  (action, inputs) =>
    rewrites.reduce((acc, r) => (r ? r(action, acc) : acc), inputs);
