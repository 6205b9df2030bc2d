import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Test certificates made with the `openssl` CLI: a test CA and leaves signed by it, or self-signed. */
export interface KeyPair {
  key: string;
  cert: string;
}

export interface TestPki {
  ca: KeyPair;
  /** A leaf signed by the test CA. */
  leaf(opts: { days: number; san: string }): KeyPair;
  /** A self-signed certificate nobody trusts. */
  selfSigned(opts: { days: number; san: string }): KeyPair;
  dispose(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'health-pki-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const read = (name: string) => readFileSync(path(name), 'utf8');

  openssl(
    'req',
    '-x509',
    ...EC,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '30',
    '-subj',
    '/CN=Health Gate Test CA'
  );
  const ca = { key: read('ca.key'), cert: read('ca.crt') };
  let n = 0;

  return {
    ca,
    leaf({ days, san }) {
      const id = `leaf${++n}`;
      openssl('req', ...EC, '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${id}`);
      writeFileSync(path(`${id}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\n`);
      openssl(
        'x509',
        '-req',
        '-in',
        `${id}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        String(days),
        '-extfile',
        `${id}.ext`,
        '-out',
        `${id}.crt`
      );
      return { key: read(`${id}.key`), cert: read(`${id}.crt`) };
    },
    selfSigned({ days, san }) {
      const id = `self${++n}`;
      openssl(
        'req',
        '-x509',
        ...EC,
        '-keyout',
        `${id}.key`,
        '-out',
        `${id}.crt`,
        '-days',
        String(days),
        '-subj',
        `/CN=${id}`,
        '-addext',
        `subjectAltName=${san}`
      );
      return { key: read(`${id}.key`), cert: read(`${id}.crt`) };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true })
  };
}
