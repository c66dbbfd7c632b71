// Read the earlier pipeline's tables (DOMAIN §1.13, §2.8, §3.5) from its database, correct each
// row (transforms.ts) and put it in the sink. A table that is absent, or that does not have the
// legacy layout (e.g. a pvpipe table with timestamptz), is skipped and said so. Values are read as
// text: REAL columns then come out in their shortest form (1.1, not 1.10000002384186) and naive
// timestamps are never reinterpreted in the process's time zone.
import type { Sql } from "../../f/lib/db/resource.ts";
import { parseNumber } from "../../f/lib/sources/numeric.ts";
import type { LegacySink } from "./sink.ts";
import { correctNambuDbTime, namdongLegacyTime, parseNaiveKst, resolveNamdongName, type KoenUnitRef } from "./transforms.ts";

export interface ReadContext {
  koenUnits: KoenUnitRef[];
  /** ASOS station name → id (asos_stations). */
  stations: Map<string, number>;
}

const CURSOR_ROWS = 5000;

type Columns = Map<string, string>; // column → data type

async function tableColumns(legacy: Sql, table: string): Promise<Columns | null> {
  const rows = await legacy<{ column_name: string; data_type: string }[]>`
    select column_name, data_type from information_schema.columns
    where table_schema = current_schema() and table_name = ${table}`;
  return rows.length ? new Map(rows.map((r) => [r.column_name, r.data_type])) : null;
}

/** `col::text as col` for columns present, `null as col` for optional ones absent. */
const textCols = (cols: Columns, names: string[]) => names.map((n) => (cols.has(n) ? `"${n}"::text as "${n}"` : `null::text as "${n}"`)).join(", ");

function layoutProblem(cols: Columns, required: string[], timeCol: string): string | null {
  const missing = required.filter((c) => !cols.has(c));
  if (missing.length) return `columns ${missing.join(", ")} missing: not the earlier pipeline's layout`;
  const t = cols.get(timeCol);
  if (t !== "timestamp without time zone") return `${timeCol} is ${t}, not the earlier pipeline's naive timestamp`;
  return null;
}

export async function readLegacyDb(legacy: Sql, sink: LegacySink, ctx: ReadContext): Promise<void> {
  await readNambuGeneration(legacy, sink);
  await readNamdongGeneration(legacy, sink, ctx);
  await readWeather(legacy, sink, ctx);
  await readPlants(legacy, sink, ctx);
}

async function readNambuGeneration(legacy: Sql, sink: LegacySink): Promise<void> {
  const table = "nambu_generation";
  const cols = await tableColumns(legacy, table);
  if (!cols) return sink.note(`${table}: absent, skipped`);
  const problem = layoutProblem(cols, ["datetime", "gencd", "hogi", "generation"], "datetime");
  if (problem) return sink.note(`${table}: skipped (${problem})`);
  const order = cols.has("id") ? `"id"` : `"datetime"`;
  const q = `select ${cols.has("id") ? `"id"::bigint as id` : `0::bigint as id`}, ${textCols(cols, ["datetime", "gencd", "hogi", "plant_name", "generation", "daily_total", "daily_avg", "daily_max", "daily_min"])}
             from "${table}" order by ${order}`;
  let n = 0;
  for await (const rows of legacy.unsafe<Record<string, string | null>[]>(q).cursor(CURSOR_ROWS)) {
    for (const r of rows) {
      n++;
      const gencd = (r.gencd ?? "").trim();
      const hogi = parseNumber(r.hogi);
      const t = r.datetime ? correctNambuDbTime(r.datetime) : null;
      if (!gencd || hogi === null || !Number.isInteger(hogi)) {
        sink.reject(table, `${gencd || "?"}-${r.hogi ?? "?"}`, "no plant code or unit");
        continue;
      }
      if (!t) {
        sink.reject(table, `${gencd}-${hogi}`, "no readable datetime");
        continue;
      }
      await sink.addKospo({
        origin: "db", ref: Number(r.id), gencd, hogi, plantName: r.plant_name?.trim() || null, ...t,
        generation: parseNumber(r.generation), dailyTotal: parseNumber(r.daily_total), dailyAvg: parseNumber(r.daily_avg),
        dailyMax: parseNumber(r.daily_max), dailyMin: parseNumber(r.daily_min),
      });
    }
  }
  sink.note(`${table}: ${n} rows read`);
}

async function readNamdongGeneration(legacy: Sql, sink: LegacySink, ctx: ReadContext): Promise<void> {
  const table = "namdong_generation";
  const cols = await tableColumns(legacy, table);
  if (!cols) return sink.note(`${table}: absent, skipped`);
  const problem = layoutProblem(cols, ["datetime", "plant_name", "hour", "generation"], "datetime");
  if (problem) return sink.note(`${table}: skipped (${problem})`);
  const q = `select ${cols.has("id") ? `"id"::bigint as id` : `0::bigint as id`}, ${textCols(cols, ["datetime", "plant_name", "hour", "generation"])}
             from "${table}" order by ${cols.has("id") ? `"id"` : `"datetime"`}`;
  const names = new Map<string, ReturnType<typeof resolveNamdongName>>();
  let n = 0;
  for await (const rows of legacy.unsafe<Record<string, string | null>[]>(q).cursor(CURSOR_ROWS)) {
    for (const r of rows) {
      n++;
      const legacyName = r.plant_name ?? "";
      let who = names.get(legacyName);
      if (!who) names.set(legacyName, (who = resolveNamdongName(legacyName, ctx.koenUnits)));
      if ("problem" in who) {
        sink.reject(table, legacyName, who.problem);
        continue;
      }
      const hour = parseNumber(r.hour);
      const t = r.datetime && hour !== null ? namdongLegacyTime(r.datetime, hour) : null;
      if (!t) {
        sink.reject(table, legacyName, "no readable datetime or hour 1..24");
        continue;
      }
      await sink.addKoen({
        origin: "db", ref: Number(r.id), legacyName, plantName: who.plantName, hogi: who.hogi, ...t, hour: hour!,
        generation: parseNumber(r.generation), dailyTotal: null, dailyAvg: null, dailyMax: null, dailyMin: null,
      });
    }
  }
  sink.note(`${table}: ${n} rows read`);
}

async function readWeather(legacy: Sql, sink: LegacySink, ctx: ReadContext): Promise<void> {
  const table = "weather_asos";
  const cols = await tableColumns(legacy, table);
  if (!cols) return sink.note(`${table}: absent, skipped`);
  const problem = layoutProblem(cols, ["timestamp", "station_name"], "timestamp");
  if (problem) return sink.note(`${table}: skipped (${problem})`);
  const q = `select ${cols.has("id") ? `"id"::bigint as id` : `0::bigint as id`}, ${textCols(cols, ["timestamp", "station_name", "temperature", "humidity", "solar_radiation"])}
             from "${table}" order by ${cols.has("id") ? `"id"` : `"timestamp"`}`;
  let n = 0;
  for await (const rows of legacy.unsafe<Record<string, string | null>[]>(q).cursor(CURSOR_ROWS)) {
    for (const r of rows) {
      n++;
      await addWeatherRow(sink, ctx, table, "db", Number(r.id), {
        time: r.timestamp, station: r.station_name, ta: r.temperature, hm: r.humidity, icsr: r.solar_radiation,
      });
    }
  }
  sink.note(`${table}: ${n} rows read`);
}

/** One legacy weather row (table or CSV): station by name, tm as the KST observation time. */
export async function addWeatherRow(
  sink: LegacySink,
  ctx: ReadContext,
  table: string,
  origin: "db" | "csv" | "csv_merged",
  ref: number,
  r: { time: string | null | undefined; station: string | null | undefined; ta?: string | null; hm?: string | null; icsr?: string | null },
): Promise<void> {
  const station = (r.station ?? "").trim();
  const stnId = ctx.stations.get(station);
  if (stnId === undefined) {
    sink.reject(table, station || "?", "station name not in asos_stations");
    return;
  }
  const datetime = parseNaiveKst(r.time);
  if (!datetime) {
    sink.reject(table, station, "no readable timestamp");
    return;
  }
  await sink.addAsos({ origin, ref, stnId, stationName: station, datetime, ta: parseNumber(r.ta), hm: parseNumber(r.hm), icsr: parseNumber(r.icsr) });
}

async function readPlants(legacy: Sql, sink: LegacySink, ctx: ReadContext): Promise<void> {
  for (const table of ["nambu_plants", "namdong_plants"] as const) {
    const cols = await tableColumns(legacy, table);
    if (!cols) {
      sink.note(`${table}: absent, skipped`);
      continue;
    }
    if (!cols.has("plant_name")) {
      sink.note(`${table}: skipped (no plant_name column)`);
      continue;
    }
    // Read to place every old plant on a unit and report the ones that cannot be placed. Their
    // coordinates are not imported: the reference list (data/plants.csv) carries the audited ones
    // (DOMAIN §5.2 found the old ones wrong) and is re-seeded on every start.
    // The earlier nambu_plants is keyed by name only: a name is placed by the units nambu_generation used it for.
    const rows = await legacy.unsafe<Record<string, string | null>[]>(`select ${textCols(cols, ["plant_name"])} from "${table}" order by 1`);
    let placed = 0;
    if (table === "nambu_plants") {
      const gen = await tableColumns(legacy, "nambu_generation");
      const byName = new Map<string, { gencd: string; hogi: number }[]>();
      if (gen?.has("plant_name") && gen.has("gencd") && gen.has("hogi")) {
        const pairs = await legacy.unsafe<{ plant_name: string; gencd: string; hogi: number }[]>(`select distinct plant_name::text as plant_name, gencd::text as gencd, hogi::int as hogi from nambu_generation where plant_name is not null`);
        for (const p of pairs) byName.set(p.plant_name.trim(), [...(byName.get(p.plant_name.trim()) ?? []), { gencd: p.gencd.trim(), hogi: p.hogi }]);
      }
      for (const r of rows) {
        const units = byName.get((r.plant_name ?? "").trim()) ?? [];
        if (units.length === 0) sink.reject(table, r.plant_name ?? "?", "name not used by any nambu_generation row: not placed on a unit");
        else placed++;
      }
    } else {
      for (const r of rows) {
        const who = resolveNamdongName(r.plant_name ?? "", ctx.koenUnits);
        if ("problem" in who) {
          sink.reject(table, r.plant_name ?? "?", who.problem);
          continue;
        }
        placed++;
      }
    }
    sink.note(`${table}: ${rows.length} rows read, ${placed} placed on units`);
  }
}
