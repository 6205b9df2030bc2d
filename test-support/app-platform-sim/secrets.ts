// App Platform encrypts SECRET env values (and image registry_credentials) on first submission and returns
// them as `EV[1:<nonce>:<ciphertext>]`; sending the encrypted form back keeps the value. The simulator keeps
// the plaintext in memory so the app process still gets the real value.
import { randomBytes } from 'node:crypto';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const ENCRYPTED = /^EV\[1:[^:\]]+:[^\]]+\]$/;

export class SecretVault {
  private readonly plain = new Map<string, string>();

  isEncrypted(value: string): boolean {
    return ENCRYPTED.test(value);
  }

  private seal(value: string): string {
    if (this.isEncrypted(value)) return value;
    const token = `EV[1:${randomBytes(12).toString('base64url')}:${randomBytes(24).toString('base64url')}]`;
    this.plain.set(token, value);
    return token;
  }

  /** The plaintext behind an `EV[...]` this simulator issued; undefined for foreign ones. */
  open(value: string): string | undefined {
    return this.isEncrypted(value) ? this.plain.get(value) : value;
  }

  /** A copy of the spec with every secret sealed and null env values dropped; other fields untouched. */
  sealSpec<T>(spec: T): T {
    const copy = structuredClone(spec) as unknown;
    const visitEnvs = (envs: unknown) => {
      if (!Array.isArray(envs)) return;
      for (const e of envs) {
        if (!isObj(e)) continue;
        // An empty YAML `value:` arrives as null; the API stores it as unset (godo: omitempty).
        if (e.value === null) delete e.value;
        if (e.type === 'SECRET' && typeof e.value === 'string') e.value = this.seal(e.value);
      }
    };
    if (!isObj(copy)) return copy as T;
    visitEnvs(copy.envs);
    for (const list of ['services', 'workers', 'jobs', 'static_sites', 'functions']) {
      const items = copy[list];
      if (!Array.isArray(items)) continue;
      for (const c of items) {
        if (!isObj(c)) continue;
        visitEnvs(c.envs);
        const image = c.image;
        if (isObj(image) && typeof image.registry_credentials === 'string')
          image.registry_credentials = this.seal(image.registry_credentials);
      }
    }
    return copy as T;
  }
}
