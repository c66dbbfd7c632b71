// The measured series a PV gap can borrow its sky from (impute_plan.ts, referenceFor): the other
// units of the unit's site (siblings: the same clouds pass over them) and the radiation of the
// plant's pyranometer station (the plant → station mapping of pv_weather_hourly). Only measured
// values count — never a fill — and not those of a partition a failing blocking check holds back.
// Because a unit's fill depends on its siblings' measured hours and its station's, impute re-plans
// them together: a PV range given by unit is widened to the units' sites (withSiblings), and a
// weather load re-plans the PV units whose station it loaded (stationDependents), so the fills
// are the same whatever order the data arrived in.
import type { Sql } from "../db/resource.ts";
import { OPERATOR_BRANCHES, haversineKm } from "../sources/asos/plant_station.ts";
import { ident, qualifiedName } from "../sources/serving_table.ts";
import { addDays, eachDay, kstMidnight } from "../time/kst.ts";
import type { FillModel, PvFillModel, WeatherFillModel } from "./fill_model.ts";
import { partitionOf } from "./slices.ts";
import { unitsWithRows, type Unit } from "./units.ts";

const HOUR_MS = 3_600_000;

/** The other units of `u`'s site: with coordinates, at most `maxKm` away; nearest first, then by key. */
export function siblingsOf(u: Unit, all: readonly Unit[], maxKm: number): Unit[] {
  if (u.lat === null || u.lon === null) return [];
  return all
    .filter((v) => v.key !== u.key && v.lat !== null && v.lon !== null)
    .map((v) => ({ v, km: haversineKm(u.lat!, u.lon!, v.lat!, v.lon!) }))
    .filter((x) => x.km <= maxKm)
    .sort((a, b) => a.km - b.km || (a.v.key < b.v.key ? -1 : a.v.key > b.v.key ? 1 : 0))
    .map((x) => x.v);
}

/**
 * The units of a range given by unit key, widened to their sites: a sibling's fills depend on the
 * unit's measured hours and the other way round, so they are planned together. Unchanged when the
 * asset has no sibling reference or no units were named (every unit is in the range then).
 */
export async function withSiblings(sql: Sql, p: FillModel, range: { start: string; end: string; pdims?: string[] | null }, units: Unit[]): Promise<Unit[]> {
  return withCandidates(p, units, await siblingCandidates(sql, p, range));
}

/** The units a range's siblings are found among (null when none are sought); a query that does not need the named units. */
export async function siblingCandidates(sql: Sql, p: FillModel, range: { start: string; end: string; pdims?: string[] | null }): Promise<Unit[] | null> {
  const maxKm = p.kind === "pv" ? p.fill.references?.sibling?.maxKm : undefined;
  if (maxKm === undefined || !range.pdims?.some((k) => k !== "")) return null;
  return unitsWithRows(sql, p, { start: range.start, end: range.end });
}

/** `units` and their siblings among `all` (siblingCandidates). */
export function withCandidates(p: FillModel, units: Unit[], all: Unit[] | null): Unit[] {
  const maxKm = p.kind === "pv" ? p.fill.references?.sibling?.maxKm : undefined;
  if (maxKm === undefined || all === null) return units;
  const keys = new Set(units.map((u) => u.key));
  const added = all.filter((v) => !keys.has(v.key) && units.some((u) => siblingsOf(u, [v], maxKm).length > 0));
  return [...units, ...added].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The partitions among `partitions` that a failing blocking check currently holds back. */
export async function blockedPartitions(sql: Sql, asset: string, partitions: readonly string[]): Promise<Set<string>> {
  if (partitions.length === 0) return new Set();
  const rows = await sql<{ partition: string }[]>`
    select distinct c.partition from ops.check_results_current c
    where c.asset = ${asset} and c.partition = any(${[...partitions]}::text[]) and not c.passed and c.blocking and c.severity = 'error'`;
  return new Set(rows.map((r) => r.partition));
}

/** A unit's station reference: the station, where it is, and its measured values per day (24 PV hours, interval start). */
export interface StationSeries {
  station: string;
  lat: number;
  lon: number;
  days: Map<string, (number | null)[]>;
}

/** The weather asset a PV asset's station reference reads, or null when it declares none. */
function stationModelOf(p: PvFillModel, lookup: (asset: string) => FillModel): WeatherFillModel | null {
  const station = p.fill.references?.station;
  if (!station) return null;
  const m = lookup(station.asset);
  if (m.kind !== "weather" || !m.fields.some((f) => f.field === station.field)) return null;
  return m;
}

/** The operator of a PV asset in the plant → station mapping (by its units table), or null. */
const branchOf = (p: PvFillModel) => OPERATOR_BRANCHES.find((b) => `public.${b.plantsTable}` === p.unit.table) ?? null;

/**
 * The station references of some units over a range of days: the measured `field` of each unit's
 * pyranometer station within `maxKm` (plant_station.solar_stn_id), aligned to the PV hours it
 * covers (an accumulation over the hour ending at tm serves the PV hour [tm − 1 h, tm)). Station-days
 * a failing blocking check holds back are left out. Two statements: the mapping, then the values.
 */
export async function readStationReferences(
  tx: Sql,
  p: PvFillModel,
  range: { start: string; end: string },
  units: readonly Unit[],
  lookup: (asset: string) => FillModel,
): Promise<Map<string, StationSeries>> {
  const out = new Map<string, StationSeries>();
  const w = stationModelOf(p, lookup);
  const branch = branchOf(p);
  const station = p.fill.references?.station;
  if (!w || !branch || !station || units.length === 0 || w.unit.columns.length !== 1) return out;
  const stnCol = ident(w.unit.columns[0]);
  const mapping = await tx.unsafe<{ key: string; station: string; lat: number; lon: number }[]>(
    `select ${p.unit.keySql("u")} as key, ps.solar_stn_id::text as station,
            st.${ident(w.unit.latitude)}::float8 as lat, st.${ident(w.unit.longitude)}::float8 as lon
     from ${qualifiedName(p.unit.table)} u
     join public.plant_station ps on ps.operator = $1 and ps.plant_code = u.${ident(branch.codeColumn)}::text and ps.hogi = u.hogi
     join ${qualifiedName(w.unit.table)} st on st.${stnCol} = ps.solar_stn_id
     where ${p.unit.keySql("u")} = any($2::text[]) and ps.solar_distance_km <= $3`,
    [branch.operator, units.map((u) => u.key), station.maxKm],
  );
  if (mapping.length === 0) return out;
  const stations = [...new Set(mapping.map((m) => m.station))];
  const shift = w.intervalEndsAtRowTime ? HOUR_MS : 0; // the observation that covers PV hour [T, T + 1 h)
  const from = new Date(kstMidnight(range.start).getTime() + shift);
  const to = new Date(kstMidnight(addDays(range.end, 1)).getTime() + shift);
  const rows = await tx.unsafe<{ station: string; t: number; v: number }[]>(
    `select ${w.unit.keySql("g")} as station, (extract(epoch from g.datetime) * 1000)::float8 as t, g.${ident(station.field)}::float8 as v
     from ${qualifiedName(w.table)} g
     where ${w.unit.keySql("g")} = any($1::text[]) and g.datetime >= $2 and g.datetime < $3 and g.${ident(station.field)} is not null`,
    [stations, from, to],
  );
  const blocked = await blockedPartitions(tx, w.asset, stations.flatMap((s) => eachDay(range.start, addDays(range.end, 1)).map((d) => partitionOf(w, d, s))));
  const series = new Map<string, Map<string, (number | null)[]>>();
  for (const r of rows) {
    const tm = Number(r.t);
    if (blocked.has(partitionOf(w, kstDay(tm), r.station))) continue;
    const start = tm - shift; // the PV hour's start
    const day = kstDay(start);
    const h = Math.round((start - kstMidnight(day).getTime()) / HOUR_MS);
    let days = series.get(r.station);
    if (!days) series.set(r.station, (days = new Map()));
    let values = days.get(day);
    if (!values) days.set(day, (values = Array(24).fill(null)));
    if (h >= 0 && h < 24) values[h] = Number(r.v);
  }
  for (const m of mapping) out.set(m.key, { station: m.station, lat: Number(m.lat), lon: Number(m.lon), days: series.get(m.station) ?? new Map() });
  return out;
}

const kstDay = (ms: number): string => new Date(ms + 9 * HOUR_MS).toISOString().slice(0, 10);

/**
 * The PV units whose station reference is one of `stations` of the weather asset `weather`, per PV
 * asset: what a load of those stations' readings may change the fills of.
 */
export async function stationDependents(
  sql: Sql,
  weather: string,
  stations: readonly string[],
  pvModels: readonly PvFillModel[],
): Promise<{ model: PvFillModel; units: string[] }[]> {
  const out: { model: PvFillModel; units: string[] }[] = [];
  if (stations.length === 0) return out;
  for (const p of pvModels) {
    const station = p.fill.references?.station;
    const branch = branchOf(p);
    if (!station || station.asset !== weather || !branch) continue;
    const rows = await sql.unsafe<{ key: string }[]>(
      `select ${p.unit.keySql("u")} as key
       from ${qualifiedName(p.unit.table)} u
       join public.plant_station ps on ps.operator = $1 and ps.plant_code = u.${ident(branch.codeColumn)}::text and ps.hogi = u.hogi
       where ps.solar_stn_id::text = any($2::text[]) and ps.solar_distance_km <= $3
       order by 1`,
      [branch.operator, [...stations], station.maxKm],
    );
    if (rows.length) out.push({ model: p, units: rows.map((r) => r.key) });
  }
  return out;
}
