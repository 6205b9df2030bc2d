import { LoginFailedError, type BuildRequest, type BuilderDeps, type BuilderName } from './builder.js';
import { lastErrorLine } from './command.js';

/**
 * `<builder> login … --password-stdin` and `<builder> logout …`, the same for buildah and docker: only the
 * arguments (and buildah's per-request environment) differ. The password goes through stdin, never argv; a refused
 * login is a LoginFailedError with the builder's own message; a failed logout only warns (the work dir holding the
 * credentials is removed all the same). Without credentials both do nothing.
 */
export async function builderLogin(
  builder: BuilderName,
  args: (req: BuildRequest) => string[],
  req: BuildRequest,
  deps: BuilderDeps
): Promise<void> {
  if (!req.credentials) return;
  const res = await deps.run(builder, args(req), { input: req.credentials.password, env: deps.env });
  if (res.exitCode !== 0)
    throw new LoginFailedError(
      `${builder} login ${req.image.registry} as '${req.credentials.username}' failed: ${lastErrorLine(res.lines) ?? `exit code ${res.exitCode}`}`
    );
}

export async function builderLogout(
  builder: BuilderName,
  args: (req: BuildRequest) => string[],
  req: BuildRequest,
  deps: BuilderDeps
): Promise<void> {
  if (!req.credentials) return;
  const res = await deps.run(builder, args(req), { env: deps.env });
  if (res.exitCode !== 0)
    deps.log.warning(
      `${builder} logout ${req.image.registry}: ${lastErrorLine(res.lines) ?? `exit code ${res.exitCode}`}`
    );
}
