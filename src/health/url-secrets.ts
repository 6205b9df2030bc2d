import { registerSecret } from '../kit/secrets.js';

/** Query parameters that carry credentials in health URLs (`?token=`, `?api_key=`, signed URLs). */
const SECRET_PARAM = /token|key|secret|pass|auth|sig|credential|session|code/i;

/**
 * Registers the credentials a probe URL may carry: the user-info (`user:password@`) and the values of
 * credential-like query parameters, each in every form it can be printed in (as typed and percent-encoded).
 */
export function registerProbeUrlSecrets(url: URL): void {
  for (const part of [url.username, url.password]) {
    if (!part) continue;
    registerSecret(part);
    registerSecret(safeDecode(part));
  }
  for (const [key, value] of url.searchParams)
    if (value && SECRET_PARAM.test(key)) {
      registerSecret(value);
      registerSecret(new URLSearchParams({ v: value }).toString().slice(2));
    }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
