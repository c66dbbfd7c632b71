// What the reliability suites scan for secrets: everything a run leaves in the database (ops.*,
// raw.*) and everything the process printed while the suite ran.
import type { Sql } from "../../f/lib/db/resource.ts";

/** Every row of every table in the ops and raw schemas, as text (raw payload bytes excluded). */
export async function databaseText(sql: Sql): Promise<string[]> {
  const tables = await sql<{ schema: string; name: string }[]>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_schema in ('ops', 'raw') and table_type = 'BASE TABLE' order by 1, 2`;
  const out: string[] = [];
  for (const t of tables) {
    // Identifiers come from the catalog, not from input; raw bytes are left out (they are exact payloads).
    const rows = await sql.unsafe(`select (to_jsonb(t) - 'body')::text as j from "${t.schema}"."${t.name}" t`);
    for (const r of rows as unknown as { j: string }[]) out.push(`${t.schema}.${t.name}: ${r.j}`);
  }
  return out;
}

/** Tee process.stdout/stderr (and console) into a buffer until the returned stop() is called. */
export function captureOutput(): { text: () => string; stop: () => void } {
  let buf = "";
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    buf += String(chunk);
    return (out as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    buf += String(chunk);
    return (err as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  return {
    text: () => buf,
    stop: () => {
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}
