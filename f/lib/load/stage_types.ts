// The SQL types of a stage table's columns, which the ingest's array parameters are cast to: the
// migrations stay the one place a column's type is declared. Read once per process and table.
import type { Sql } from "../db/resource.ts";

const cache = new Map<string, Promise<Record<string, string>>>();

export function stageTypes(tx: Sql, stage: string): Promise<Record<string, string>> {
  let types = cache.get(stage);
  if (!types) {
    types = read(tx, stage);
    cache.set(stage, types);
    types.catch(() => cache.delete(stage)); // a failed read (table not migrated yet) is retried next time
  }
  return types;
}

async function read(tx: Sql, stage: string): Promise<Record<string, string>> {
  const rows = await tx<{ name: string; type: string }[]>`
    select attname as name, format_type(atttypid, atttypmod) as type
    from pg_attribute
    where attrelid = ${stage}::regclass and attnum > 0 and not attisdropped`;
  return Object.fromEntries(rows.map((r) => [r.name, r.type]));
}
