// Rows per unit in the range, from the serving tables' primary keys (index-only): the progress
// total, and "nothing loaded" before any file is opened.
import type { Sql } from "../db/resource.ts";
import type { ExportUnit } from "./units.ts";

export async function rowsPerUnit(sql: Sql, units: ExportUnit[], range: { from: Date; to: Date }): Promise<Map<ExportUnit, number>> {
  const byBranch = (b: string) => units.filter((u) => u.branch === b);
  const out = new Map<ExportUnit, number>(units.map((u) => [u, 0]));
  const kospo = byBranch("kospo");
  if (kospo.length) {
    const rows = await sql<{ code: string; hogi: number; n: number }[]>`
      select g.gencd as code, g.hogi, count(*)::int as n from public.nambu_generation g
      join unnest(${kospo.map((u) => u.code)}::text[], ${kospo.map((u) => u.hogi)}::int[]) u(code, hogi) on g.gencd = u.code and g.hogi = u.hogi
      where g.datetime >= ${range.from} and g.datetime < ${range.to} group by 1, 2`;
    for (const r of rows) out.set(kospo.find((u) => u.code === r.code && u.hogi === r.hogi)!, r.n);
  }
  const koen = byBranch("koen");
  if (koen.length) {
    const rows = await sql<{ code: string; hogi: number; n: number }[]>`
      select g.plant_name as code, g.hogi, count(*)::int as n from public.namdong_generation g
      join unnest(${koen.map((u) => u.code)}::text[], ${koen.map((u) => u.hogi)}::int[]) u(code, hogi) on g.plant_name = u.code and g.hogi = u.hogi
      where g.datetime >= ${range.from} and g.datetime < ${range.to} group by 1, 2`;
    for (const r of rows) out.set(koen.find((u) => u.code === r.code && u.hogi === r.hogi)!, r.n);
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
