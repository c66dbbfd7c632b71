// Rows per unit in the range, from the serving tables' primary keys (index-only): the progress
// total, and "nothing loaded" before any file is opened.
import { koenHourly, kospoHourly } from "../assets/catalog.ts";
import type { Sql } from "../db/resource.ts";
import type { ExportUnit } from "./units.ts";

export async function rowsPerUnit(sql: Sql, units: ExportUnit[], range: { from: Date; to: Date }): Promise<Map<ExportUnit, number>> {
  const byBranch = (b: string) => units.filter((u) => u.branch === b);
  const out = new Map<ExportUnit, number>(units.map((u) => [u, 0]));
  // Both operators' PV tables: a unit is (its code column, hogi), as the sources describe their tables.
  for (const { source } of [kospoHourly, koenHourly]) {
    const pv = byBranch(source.name);
    if (!pv.length) continue;
    const code = sql(source.table.units.columns[0]);
    const rows = await sql<{ code: string; hogi: number; n: number }[]>`
      select g.${code} as code, g.hogi, count(*)::int as n from ${sql(source.table.name)} g
      join unnest(${pv.map((u) => u.code)}::text[], ${pv.map((u) => u.hogi)}::int[]) u(code, hogi) on g.${code} = u.code and g.hogi = u.hogi
      where g.datetime >= ${range.from} and g.datetime < ${range.to} group by 1, 2`;
    for (const r of rows) out.set(pv.find((u) => u.code === r.code && u.hogi === r.hogi)!, r.n);
  }
  const asos = byBranch("asos");
  if (asos.length) {
    const rows = await sql<{ stn: number; n: number }[]>`
      select w.stn_id as stn, count(*)::int as n from public.weather_asos w
      where w.stn_id = any(${asos.map((u) => u.stn!)}::int[]) and w.datetime >= ${range.from} and w.datetime < ${range.to} group by 1`;
    for (const r of rows) out.set(asos.find((u) => u.stn === r.stn)!, r.n);
  }
  return out;
}
