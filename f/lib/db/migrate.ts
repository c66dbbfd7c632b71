// Apply the numbered migrations once each, in a transaction, under an advisory lock so two
// processes starting together do not race.
import type { Pool } from "./resource.ts";
import { MIGRATIONS } from "./migrations_gen.ts";

const LOCK_KEY = 0x70767069; // 'pvpi'

export async function migrate(sql: Pool): Promise<string[]> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
    await tx`create schema if not exists ops`;
    await tx`create table if not exists ops.schema_migrations (
      id text primary key, applied_at timestamptz not null default now())`;
    const done = new Set((await tx<{ id: string }[]>`select id from ops.schema_migrations`).map((r) => r.id));
    const applied: string[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) continue;
      await tx.unsafe(m.sql);
      await tx`insert into ops.schema_migrations (id) values (${m.id})`;
      applied.push(m.id);
    }
    return applied;
  }) as Promise<string[]>;
}
