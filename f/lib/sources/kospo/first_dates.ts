// The units kospo_probe looks at (one code/unit, or all) and the first day with data it found for
// each, kept in nambu_plants.first_date: plans start there.
import type { Sql } from "../../db/resource.ts";
import type { KospoUnit } from "./units.ts";

export async function unitsToProbe(sql: Sql, f: { gencd: string; hogi: number }): Promise<KospoUnit[]> {
  const gencd = f.gencd || null;
  const hogi = f.hogi || null;
  return sql<KospoUnit[]>`
    select gencd, hogi from public.nambu_plants
    where (${gencd}::text is null or gencd = ${gencd}::text) and (${hogi}::int is null or hogi = ${hogi}::int)
    order by gencd, hogi`;
}

export async function recordFirstDate(sql: Sql, u: KospoUnit, first: string | null): Promise<void> {
  await sql`update public.nambu_plants set first_date = ${first}::date, probed_at = now() where gencd = ${u.gencd} and hogi = ${u.hogi}`;
}
