import { withClient } from '../postgres/server.js';
import { errorMessage } from '../kit/errors.js';

/**
 * pg_restore --jobs cannot run in one transaction, so a parallel restore that fails (or is cancelled) midway
 * leaves what it created so far. `restore` only starts into a database without tables; what the restore added
 * is what exists afterwards and did not before, found by catalog OIDs, and dropped in an order where CASCADE
 * takes the dependants along (a table takes its indexes, constraints, owned sequences and the views on it).
 * Objects that belong to an extension go with their extension.
 */
interface CatalogObject {
  key: string;
  drop: string;
}

const OBJECTS = `
  WITH own AS (SELECT oid, nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'),
  ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
  SELECT 1 AS ord, 'n' || n.oid AS key, format('DROP SCHEMA IF EXISTS %I CASCADE', n.nspname) AS drop
    FROM own n WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_namespace'::regclass AND objid = n.oid)
  UNION ALL
  SELECT 2, 'x' || e.oid, format('DROP EXTENSION IF EXISTS %I CASCADE', e.extname) FROM pg_extension e
  UNION ALL
  SELECT 3, 'c' || c.oid, format('DROP %s IF EXISTS %I.%I CASCADE',
           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                          WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END, n.nspname, c.relname)
    FROM pg_class c JOIN own n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
     AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = c.oid)
  UNION ALL
  SELECT 4, 't' || t.oid, format('DROP TYPE IF EXISTS %I.%I CASCADE', n.nspname, t.typname)
    FROM pg_type t JOIN own n ON n.oid = t.typnamespace
   WHERE t.typtype IN ('e', 'd', 'r') AND t.typelem = 0
     AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_type'::regclass AND objid = t.oid)
  UNION ALL
  SELECT 5, 'p' || p.oid, format('DROP %s IF EXISTS %I.%I(%s) CASCADE',
           CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
           n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))
    FROM pg_proc p JOIN own n ON n.oid = p.pronamespace
   WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_proc'::regclass AND objid = p.oid)
  ORDER BY 1`;

async function catalogObjects(url: string): Promise<CatalogObject[]> {
  return withClient(url, async c => (await c.query<CatalogObject>(OBJECTS)).rows);
}

/** What the database holds now; `dropAddedSince` later drops whatever was added after this. */
export async function catalogSnapshot(url: string): Promise<Set<string>> {
  return new Set((await catalogObjects(url)).map(o => o.key));
}

/** Drops what was added since `before`; returns the statements that failed, with why (empty: all gone). */
export async function dropAddedSince(url: string, before: Set<string>): Promise<string[]> {
  const added = (await catalogObjects(url)).filter(o => !before.has(o.key));
  const failed: string[] = [];
  await withClient(url, async c => {
    for (const o of added) {
      try {
        await c.query(o.drop);
      } catch (error) {
        failed.push(`${o.drop}: ${errorMessage(error)}`);
      }
    }
  });
  return failed;
}
