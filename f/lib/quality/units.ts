// The units of a range, with their coordinates and attributes, as impute and the checks read them:
// the given unit keys, else every unit with rows in the serving table then (one query); and the
// units of the units table with rows in a range (the sibling candidates of impute_references.ts).
import type { Sql } from "../db/resource.ts";
import { ident, qualifiedName } from "../sources/serving_table.ts";
import type { FillModel } from "./fill_model.ts";
import { instantRange } from "./slices.ts";
import { unitRangeCondition } from "./unit_range_sql.ts";

export interface Unit {
  key: string;
  /** Identity column → value, as stored. */
  ids: Record<string, string | number>;
  lat: number | null;
  lon: number | null;
  capacityKw: number | null;
  quality: string | null;
  hourlyValidFrom: string | null;
  /** Weather: the station measures the night-zero fields. */
  nightZero: boolean;
}

/** The units of a range: the given keys, else every unit with rows in the serving table then. */
export async function resolveUnits(sql: Sql, p: FillModel, range: { start: string; end: string; pdims?: string[] | null }): Promise<Unit[]> {
  const u = p.unit;
  const cols = u.columns.map(ident);
  const { from, to } = instantRange(range.start, range.end);
  const pdims = range.pdims?.filter((k) => k !== "") ?? [];
  // Prepared (every chunk sends the same text): one round trip, planned once per connection.
  const rows = await sql.unsafe<Record<string, unknown>[]>(
    pdims.length
      ? `select ${u.keySql("u")} as key, ${cols.map((c) => `u.${c}`).join(", ")}, ${unitAttributes(p)}
         from ${qualifiedName(u.table)} u where ${u.keySql("u")} = any($1::text[]) order by 1`
      : `select ${u.keySql("k")} as key, ${cols.map((c) => `k.${c}`).join(", ")}, ${unitAttributes(p)}
         from (select distinct ${cols.join(", ")} from ${qualifiedName(p.table)} where datetime >= $1 and datetime < $2) k
         left join ${qualifiedName(u.table)} u using (${cols.join(", ")}) order by 1`,
    pdims.length ? [pdims] : [from, to],
    { prepare: true },
  );
  return rows.map(unitOf(p));
}

/**
 * Every unit of the units table with a row in the serving table in the range: one probe of the
 * primary key per unit, where reading the range's distinct units reads every row of every unit.
 * (Units with rows but no entry in the units table have no coordinates: no sibling can be one.)
 */
export async function unitsWithRows(sql: Sql, p: FillModel, range: { start: string; end: string }): Promise<Unit[]> {
  const u = p.unit;
  const cols = u.columns.map(ident);
  const { from, to } = instantRange(range.start, range.end);
  const rows = await sql.unsafe<Record<string, unknown>[]>(
    `select ${u.keySql("u")} as key, ${cols.map((c) => `u.${c}`).join(", ")}, ${unitAttributes(p)}
     from ${qualifiedName(u.table)} u
     cross join lateral (
       select 1 from ${qualifiedName(p.table)} x where ${unitRangeCondition(u.columns, "x", "u", "$1::timestamptz", "$2::timestamptz")} limit 1
     ) x
     order by 1`,
    [from, to],
    { prepare: true },
  );
  return rows.map(unitOf(p));
}

function unitAttributes(p: FillModel): string {
  const u = p.unit;
  return [
    `u.${ident(u.latitude)}::float8 as lat`,
    `u.${ident(u.longitude)}::float8 as lon`,
    p.kind === "pv" && p.unit.capacity ? `u.${ident(p.unit.capacity)}::float8 as capacity_kw` : "null::float8 as capacity_kw",
    p.kind === "pv" && p.unit.quality ? `u.${ident(p.unit.quality)}::text as quality` : "null::text as quality",
    p.kind === "pv" && p.unit.hourlyValidFrom ? `to_char(u.${ident(p.unit.hourlyValidFrom)}, 'YYYY-MM-DD') as hourly_valid_from` : "null::text as hourly_valid_from",
    p.kind === "weather" ? `coalesce(u.${ident(p.unit.nightZeroWhere)}, false) as night_zero` : "false as night_zero",
  ].join(", ");
}

const unitOf =
  (p: FillModel) =>
  (r: Record<string, unknown>): Unit => ({
    key: String(r.key),
    ids: Object.fromEntries(p.unit.columns.map((c) => [c, r[c] as string | number])),
    lat: r.lat === null ? null : Number(r.lat),
    lon: r.lon === null ? null : Number(r.lon),
    capacityKw: r.capacity_kw === null ? null : Number(r.capacity_kw),
    quality: (r.quality as string | null) ?? null,
    hourlyValidFrom: (r.hourly_valid_from as string | null) ?? null,
    nightZero: r.night_zero === true,
  });

/**
 * Whether a unit's hourly values count on a day (DOMAIN §5.4): from `hourly_valid_from` when it is
 * set; without it, unless the grade says hourly values are invalid.
 */
export function hourlyValidOn(unit: Unit, day: string, invalidGrades: readonly string[]): boolean {
  if (unit.hourlyValidFrom !== null) return day >= unit.hourlyValidFrom;
  return !unit.quality || !invalidGrades.includes(unit.quality);
}
