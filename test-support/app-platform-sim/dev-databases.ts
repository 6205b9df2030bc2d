// App Platform's development databases, as the simulator plays them. A `databases[]` component that names no
// `cluster_name` and is not `production: true` is a dev database: App Platform creates a PostgreSQL database for
// that app, binds it through the component's bindable variables (`${db.DATABASE_URL}`, `${db.HOSTNAME}`,
// `${db.PORT}`, `${db.USERNAME}`, `${db.PASSWORD}`, `${db.DATABASE}`, `${db.CA_CERT}`, `${db.JDBC_DATABASE_URL}`)
// and deletes it with the app (DigitalOcean docs: app-platform/how-to/manage-databases "Add a Dev Database" and
// reference/bindable-variables; OpenAPI app_database_spec: `production`, `cluster_name`, engine PG only for dev).
// Here each one is a real database on a local PostgreSQL server (the option `devDatabaseServer`), created the first
// time a deployment of the app needs it and dropped when the app is deleted or the simulator stops. Not modelled:
// the per-database user App Platform creates (the server URL's user owns every dev database here).
import pg from 'pg';
import type { AppSpec } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The dev database components of a spec: their names. */
export function devDatabaseComponents(spec: AppSpec): string[] {
  const dbs = Array.isArray(spec.databases) ? (spec.databases as unknown[]) : [];
  return dbs
    .filter(isObj)
    .filter(d => d.production !== true && d.cluster_name === undefined && (d.engine ?? 'PG') === 'PG')
    .map(d => String(d.name));
}

export class DevDatabases {
  /** app id -> component name -> database name */
  private readonly created = new Map<string, Map<string, string>>();
  private readonly server: URL;

  constructor(serverUrl: string) {
    this.server = new URL(serverUrl);
  }

  private async admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.server.toString() });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Databases of this simulator on the server, by name (what a test checks was created or dropped). */
  async existing(): Promise<string[]> {
    return this.admin(async c =>
      (
        await c.query<{ datname: string }>(`select datname from pg_database where datname like 'sim_dev_%'`)
      ).rows
        .map(r => r.datname)
        .sort()
    );
  }

  /** Creates the dev databases the spec declares and this app does not have yet. */
  async provision(appId: string, spec: AppSpec): Promise<void> {
    const mine = this.created.get(appId) ?? new Map<string, string>();
    this.created.set(appId, mine);
    for (const component of devDatabaseComponents(spec)) {
      if (mine.has(component)) continue;
      const name = `sim_dev_${appId.replace(/-/g, '').slice(0, 12)}_${component.replace(/[^a-z0-9]/g, '_')}`;
      await this.admin(c => c.query(`create database "${name}"`));
      mine.set(component, name);
    }
  }

  /** `${component.VAR}` values of the app's dev databases (empty for an app without any). */
  bindables(appId: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [component, database] of this.created.get(appId) ?? []) {
      const url = new URL(this.server.toString());
      url.pathname = `/${database}`;
      const vars: Record<string, string> = {
        DATABASE_URL: url.toString(),
        HOSTNAME: url.hostname,
        PORT: url.port || '5432',
        USERNAME: decodeURIComponent(url.username),
        PASSWORD: decodeURIComponent(url.password),
        DATABASE: database,
        CA_CERT: '',
        JDBC_DATABASE_URL: `jdbc:postgresql://${url.host}/${database}`
      };
      for (const [k, v] of Object.entries(vars)) out[`${component}.${k}`] = v;
    }
    return out;
  }

  /** Drops the app's dev databases (the app was deleted); a database that is already gone is fine. */
  async drop(appId: string): Promise<void> {
    const mine = this.created.get(appId);
    this.created.delete(appId);
    for (const database of mine?.values() ?? [])
      await this.admin(c => c.query(`drop database if exists "${database}" with (force)`));
  }

  async dropAll(): Promise<void> {
    for (const appId of [...this.created.keys()]) await this.drop(appId);
  }
}
