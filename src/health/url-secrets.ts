import { checkMaskable, MIN_SECRET_LENGTH, registerCredentials, registerSecret } from '../kit/secrets.js';

/** Query parameters that carry credentials in health URLs (`?token=`, `?api_key=`, signed URLs). */
const SECRET_PARAM = /token|key|secret|pass|auth|sig|credential|session|code/i;

/**
 * Registers the credentials a probe URL (the `input`) may carry, the way the kit registers every URL's:
 * `user:password@` as a pair (the password in every form and base64 `user:password`, what a Basic header
 * holds), and the values of credential-like query parameters. A user name with a password is no secret; one
 * alone (`https://<token>@host`) is, when long enough to be one. A secret too short to mask is refused with
 * one line naming the input (see MIN_SECRET_LENGTH).
 */
export function registerProbeUrlSecrets(input: string, url: URL): void {
  const user = safeDecode(url.username);
  const password = safeDecode(url.password);
  if (password) {
    checkMaskable(input, password, 'password');
    registerCredentials(user, password);
    registerSecret(url.password); // as the URL prints it (percent-encoded)
  } else if (user.length >= MIN_SECRET_LENGTH) {
    registerSecret(user);
    registerSecret(url.username);
  }
  for (const [key, value] of url.searchParams)
    if (value && SECRET_PARAM.test(key)) {
      checkMaskable(input, value, `'${key}' query parameter`);
      registerSecret(value);
    }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
