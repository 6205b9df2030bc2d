import { registerSecret } from './secrets.js';

/**
 * Registers `base64(user:password)`, the form HTTP Basic credentials take in an `Authorization` header and in a
 * containers auth.json, so a server error or a log line that echoes either is masked. The unpadded form too: some
 * encoders drop the `=`.
 */
export function registerBasicAuthSecret(username: string, password: string): void {
  const encoded = Buffer.from(`${username}:${password}`).toString('base64');
  registerSecret(encoded);
  registerSecret(encoded.replace(/=+$/, ''));
}
