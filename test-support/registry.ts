// A throw-away OCI registry: Debian's docker-registry (distribution 2.8) on a free 127.0.0.1 port, plain HTTP,
// htpasswd (bcrypt) auth, filesystem storage in a private temp dir.
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, retryOnPortClash } from './ports.js';
import { Guard, logTail, makeTempDir, run, spawnDaemon, spawned, terminate, waitUntil } from './process.js';

export interface RegistryInfo {
  /** 127.0.0.1:<port>, the registry part of an image reference. */
  host: string;
  /** http://127.0.0.1:<port> */
  url: string;
  username: string;
  password: string;
  dir: string;
  pids: number[];
}

export interface RegistryServer extends RegistryInfo {
  /** Stops the registry and removes its storage; a no-op for a registry this process does not own. */
  stop(): Promise<void>;
}

export interface StartRegistryOptions {
  username?: string;
  password?: string;
  /** Default /usr/bin/docker-registry. */
  binary?: string;
}

export function startRegistry(opts: StartRegistryOptions = {}): Promise<RegistryServer> {
  return retryOnPortClash(() => startOnce(opts));
}

async function startOnce(opts: StartRegistryOptions): Promise<RegistryServer> {
  const username = opts.username ?? 'pipeline';
  const password = opts.password ?? randomBytes(12).toString('hex');
  const port = await freePort();
  const dir = makeTempDir('registry');
  const guard = new Guard(dir);
  const logFile = join(dir, 'registry.log');
  try {
    const { stdout: htpasswd } = await run('htpasswd', ['-Bbn', username, password]);
    writeFileSync(join(dir, 'htpasswd'), htpasswd.trim() + '\n', { mode: 0o600 });
    // JSON is valid YAML: no YAML writer needed for the config.
    const config = {
      version: 0.1,
      log: { level: 'warn', formatter: 'text' },
      storage: { filesystem: { rootdirectory: join(dir, 'data') }, delete: { enabled: true } },
      http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString('hex') },
      auth: { htpasswd: { realm: 'app-pipeline-test', path: join(dir, 'htpasswd') } }
    };
    writeFileSync(join(dir, 'config.yml'), JSON.stringify(config, null, 2));
    const child = spawnDaemon(opts.binary ?? '/usr/bin/docker-registry', ['serve', join(dir, 'config.yml')], {
      logFile
    });
    const pid = await spawned(child, 'docker-registry');
    guard.add(pid, 'docker-registry');
    const url = `http://127.0.0.1:${port}`;
    let exited = false;
    child.once('exit', () => (exited = true));
    // Ours answers 401 without credentials and 200 with ours: another registry that won the port would not.
    const auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const ready = async (): Promise<boolean> =>
      (await status(`${url}/v2/`)) === 401 && (await status(`${url}/v2/`, auth)) === 200;
    await waitUntil(ready, {
      timeoutMs: 30_000,
      what: `docker-registry to answer on ${url}/v2/ (401, and 200 with its credentials)`,
      abortIf: () => {
        if (exited) throw new Error(`docker-registry exited during start-up:\n${logTail(logFile)}`);
      }
    });
    const info: RegistryInfo = { host: `127.0.0.1:${port}`, url, username, password, dir, pids: [pid] };
    let stopped: Promise<void> | undefined;
    const stop = async (): Promise<void> => {
      await terminate({ pid, name: 'docker-registry' }, 'SIGTERM', 5000);
      rmSync(dir, { recursive: true, force: true });
      await guard.release();
    };
    return { ...info, stop: () => (stopped ??= stop()) };
  } catch (err) {
    guard.emergencyCleanup();
    throw err;
  }
}

/** A handle on a registry started elsewhere (the stack file); stop() is a no-op. */
export function attachRegistry(info: RegistryInfo): RegistryServer {
  return { ...info, stop: async () => {} };
}

async function status(url: string, authorization?: string): Promise<number | undefined> {
  try {
    const headers = authorization ? { authorization } : undefined;
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return undefined;
  }
}
