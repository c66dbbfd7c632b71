// The exportable datasets: their columns and the one SELECT that produces their rows. Range and
// units reach the SQL as session settings of the export's transaction (set_config with $n
// parameters, read back with current_setting), because COPY takes no parameters: the query text
// is built from these constant definitions only, never from input.
import { ASOS_FILLED_COLUMNS, ASOS_VALUE_FIELDS } from "../sources/asos/item.ts";
import { ident, type ExportColumn } from "./columns.ts";

export const DATASET_IDS = ["pv_weather", "kospo", "koen", "asos"] as const;
export type DatasetId = (typeof DATASET_IDS)[number];

/**
 * The range and the unit being exported, as the export's transaction sees them (set_config): one
 * statement per unit, so each reads its rows in order from the serving table's primary key and
 * its weather from weather_asos's, and no sort is needed.
 */
export const SETTING = {
  from: "pvpipe.export_from",
  to: "pvpipe.export_to",
  code: "pvpipe.export_code",
  hogi: "pvpipe.export_hogi",
  stn: "pvpipe.export_stn",
  solarStn: "pvpipe.export_solar_stn",
} as const;

const FROM = `current_setting('${SETTING.from}')::timestamptz`;
const TO = `current_setting('${SETTING.to}')::timestamptz`;
const CODE = `current_setting('${SETTING.code}')`;
const HOGI = `current_setting('${SETTING.hogi}')::int`;
const STN = `current_setting('${SETTING.stn}')::int`;
const SOLAR_STN = `nullif(current_setting('${SETTING.solarStn}'), '')::int`;

/** Which serving table a unit's rows come from. */
export type Branch = "kospo" | "koen" | "asos";

export interface Dataset {
  id: DatasetId;
  title: string;
  /** What a row is. */
  row: string;
  columns: ExportColumn[];
  /** Per branch, `from … where …` of one unit's rows (aliases as the columns' expressions use them). */
  from: Partial<Record<Branch, string>>;
  /** Row order within a unit: the serving table's primary key, so rows come out of the index in order. */
  orderBy: string;
  /** Provenance columns counted per value in the manifest: method column → the value it describes. */
  methods: { column: string; field: string; expr: string }[];
}

const fieldUnit = (f: string) => ASOS_VALUE_FIELDS.find((x) => x.column === f)?.unit ?? "";

const WEATHER_DOCS: Record<string, string> = {
  ta: "air temperature",
  rn: "precipitation (NULL also when no rain was reported: KMA sends an empty value)",
  ws: "wind speed (10-minute mean)",
  wd: "wind direction",
  hm: "relative humidity",
  pv: "vapour pressure",
  td: "dew point",
  pa: "station pressure",
  ps: "sea-level pressure",
  ss: "sunshine duration",
  icsr: "global solar radiation (pyranometer stations, daytime)",
  dsnw: "snow depth",
  hr3_fhsc: "fresh snow over the 3 hours ending at the observation",
  dc10_tca: "total cloud amount",
  dc10_lmcs_ca: "mid/low cloud amount",
  lcs_ch: "lowest cloud base",
  vs: "visibility",
  ts: "ground surface temperature",
};
const ACCUMULATED = new Set(["rn", "ss", "icsr"]);
const FILLED = new Set<string>(ASOS_FILLED_COLUMNS);

/**
 * Weather columns of one observation record `w`: every field measured, and for the fields impute
 * fills, the gap-free value and its method (`<field>_filled`, `<field>_fill_method`). `when` says
 * which instant the value refers to.
 */
function weatherColumns(alias: string, fields: readonly string[], when: (f: string) => string): ExportColumn[] {
  return fields.flatMap((f) => {
    const unit = fieldUnit(f);
    const base = `${WEATHER_DOCS[f] ?? f}${unit ? `, ${unit}` : ""}`;
    const cols: ExportColumn[] = [{ name: f, kind: "double", expr: `${alias}.${ident(f)}`, doc: `${base}, ${when(f)}; measured (NULL = not observed)` }];
    if (FILLED.has(f)) {
      cols.push(
        { name: `${f}_filled`, kind: "double", expr: `${alias}.${ident(`${f}_filled`)}`, doc: `${f}, gap-free: measured, or filled by impute (NULL = no basis)` },
        { name: `${f}_fill_method`, kind: "text", dict: true, expr: `${alias}.fill_methods ->> '${ident(f)}'`, doc: `how ${f}_filled was obtained: measured or the impute method (NULL = no filled value)` },
      );
    }
    return cols;
  });
}

const ASOS_FIELDS = ASOS_VALUE_FIELDS.map((f) => f.column);

// ---------------------------------------------------------------------------------------------
// pv_weather

/** Weather fields from the plant's nearest station (icsr comes from the nearest pyranometer station). */
const NEAREST = ASOS_FIELDS.filter((f) => f !== "icsr" && f !== "hr3_fhsc");

/** One unit's generation joined to the weather of its stations (the unit's rows of pv_weather_hourly, plus provenance). */
function pvWeatherFrom(operator: "kospo" | "koen", table: string, code: string, plants: string): string {
  return `${table} g
    join public.plant_station ps on ps.operator = '${operator}' and ps.plant_code = g.${code} and ps.hogi = g.hogi
    left join ${plants} p on p.${code} = g.${code} and p.hogi = g.hogi
    join public.asos_stations st on st.stn_id = ps.stn_id
    left join public.asos_stations sst on sst.stn_id = ps.solar_stn_id
    -- PV interval [T, T+1 h) ↔ the observation at tm = T + 1 h (docs/WEATHER.md, pv_weather_hourly);
    -- the station ids are the unit's own (plant_station), given so each join reads one station's range.
    left join public.weather_asos w on w.stn_id = ${STN} and w.datetime = g.datetime + interval '1 hour'
      and w.datetime > ${FROM} and w.datetime <= ${TO}
    left join public.weather_asos ws on ws.stn_id = ${SOLAR_STN} and ws.datetime = g.datetime + interval '1 hour'
      and ws.datetime > ${FROM} and ws.datetime <= ${TO}
    where g.${code} = ${CODE} and g.hogi = ${HOGI} and g.datetime >= ${FROM} and g.datetime < ${TO}`;
}

const pvWeather: Dataset = {
  id: "pv_weather",
  title: "PV generation × weather, one row per plant-hour (both operators)",
  row: "one plant-hour of generation [T, T+1 h) KST, with the weather observation at tm = T + 1 h of the plant's stations",
  columns: [
    { name: "operator", kind: "text", dict: true, expr: "ps.operator", doc: "kospo (한국남부발전) or koen (한국남동발전)" },
    { name: "plant_code", kind: "text", dict: true, expr: "ps.plant_code", doc: "the plant's identity at its operator: KOSPO gencd, KOEN 발전구분 exactly as the source spells it" },
    { name: "hogi", kind: "int", expr: "g.hogi", doc: "unit number (호기)" },
    { name: "plant_name", kind: "text", dict: true, expr: "ps.plant_name", doc: "plant name (KOSPO official name, KOEN display name)" },
    { name: "data_grade", kind: "text", dict: true, expr: "coalesce(p.data_quality, '미검증')", doc: "the plant's data grade: 정상, 시간별무효 (hourly values invalid before hourly_valid_from), 전면무효 (invalid), 미검증 (not assessed)" },
    { name: "hourly_valid_from", kind: "date", expr: "p.hourly_valid_from", doc: "first day whose hourly values are valid, for 시간별무효 plants" },
    { name: "interval_start_kst", kind: "kst", expr: "g.datetime", doc: "start T of the hour [T, T+1 h), KST (hour label N of day D = D (N−1):00)" },
    { name: "interval_start_utc", kind: "utc", expr: "g.datetime", doc: "the same instant in UTC" },
    { name: "generation", kind: "double", expr: "g.generation", doc: "measured generation, kWh (NULL = not measured, never 0)" },
    { name: "generation_filled", kind: "double", expr: "g.generation_filled", doc: "gap-free generation, kWh: measured, or filled by impute (NULL = no basis)" },
    { name: "generation_fill_method", kind: "text", dict: true, expr: "g.fill_method", doc: "how generation_filled was obtained: measured, night_zero, linear, profile, … or none" },
    { name: "stn_id", kind: "int", expr: "ps.stn_id", doc: "nearest ASOS station (weather fields except icsr)" },
    { name: "station_name", kind: "text", dict: true, expr: "st.station_name", doc: "its name" },
    { name: "station_distance_km", kind: "double", expr: "ps.distance_km", doc: "great-circle distance plant → station, km" },
    { name: "solar_stn_id", kind: "int", expr: "ps.solar_stn_id", doc: "nearest ASOS station with a pyranometer (icsr)" },
    { name: "solar_station_name", kind: "text", dict: true, expr: "sst.station_name", doc: "its name" },
    { name: "solar_station_distance_km", kind: "double", expr: "ps.solar_distance_km", doc: "great-circle distance plant → solar station, km" },
    { name: "weather_observed_at_kst", kind: "kst", expr: "g.datetime + interval '1 hour'", doc: "tm of the joined observation = interval end T + 1 h, KST" },
    ...weatherColumns("w", NEAREST, (f) => (ACCUMULATED.has(f) ? "accumulated over the PV hour [T, T+1 h)" : "observed at the end of the PV hour (T + 1 h)")),
    ...weatherColumns("ws", ["icsr"], () => "accumulated over the PV hour [T, T+1 h), from the solar station"),
  ],
  from: {
    kospo: pvWeatherFrom("kospo", "public.nambu_generation", "gencd", "public.nambu_plants"),
    koen: pvWeatherFrom("koen", "public.namdong_generation", "plant_name", "public.namdong_plants"),
  },
  orderBy: "g.datetime",
  methods: [
    { column: "generation_fill_method", field: "generation", expr: "g.fill_method" },
    ...NEAREST.filter((f) => FILLED.has(f)).map((f) => ({ column: `${f}_fill_method`, field: f, expr: `w.fill_methods ->> '${f}'` })),
    ...(FILLED.has("icsr") ? [{ column: "icsr_fill_method", field: "icsr", expr: "ws.fill_methods ->> 'icsr'" }] : []),
  ],
};

// ---------------------------------------------------------------------------------------------
// kospo, koen: the serving tables with their provenance

const pvTail = (extra: ExportColumn[]): ExportColumn[] => [
  { name: "interval_start_kst", kind: "kst", expr: "g.datetime", doc: "start T of the hour [T, T+1 h), KST" },
  { name: "interval_start_utc", kind: "utc", expr: "g.datetime", doc: "the same instant in UTC" },
  ...extra,
  { name: "generation", kind: "double", expr: "g.generation", doc: "measured generation, kWh (NULL = not measured, never 0)" },
  { name: "daily_total", kind: "double", expr: "g.daily_total", doc: "the source's daily total, kWh" },
  { name: "daily_avg", kind: "double", expr: "g.daily_avg", doc: "the source's daily average, kWh" },
  { name: "daily_max", kind: "double", expr: "g.daily_max", doc: "the source's daily maximum, kWh" },
  { name: "daily_min", kind: "double", expr: "g.daily_min", doc: "the source's daily minimum, kWh" },
  { name: "generation_filled", kind: "double", expr: "g.generation_filled", doc: "gap-free generation, kWh: measured, or filled by impute (NULL = no basis)" },
  { name: "fill_method", kind: "text", dict: true, expr: "g.fill_method", doc: "how generation_filled was obtained" },
  { name: "run_id", kind: "text", dict: true, expr: "g.run_id", doc: "the run that last wrote the row" },
  { name: "updated_at_utc", kind: "utc", expr: "date_trunc('second', g.updated_at)", doc: "when the row was last written, UTC, to the second" },
];

/** A PV serving table with its provenance: its unit's identity and attributes, then the hour's values. */
const pvDataset = (id: "kospo" | "koen", title: string, unit: ExportColumn[], hour: ExportColumn[], from: string): Dataset => ({
  id,
  title,
  row: "one unit-hour [T, T+1 h) KST",
  columns: [
    ...unit,
    { name: "data_grade", kind: "text", dict: true, expr: "coalesce(p.data_quality, '미검증')", doc: "the plant's data grade (정상, 시간별무효, 전면무효, 미검증)" },
    { name: "hourly_valid_from", kind: "date", expr: "p.hourly_valid_from", doc: "first day whose hourly values are valid, for 시간별무효 plants" },
    ...pvTail(hour),
  ],
  from: { [id]: from },
  orderBy: "g.datetime",
  methods: [{ column: "fill_method", field: "generation", expr: "g.fill_method" }],
});

/** One unit's rows of a PV table (`code` and hogi its identity), with its plant's attributes. */
const pvFrom = (table: string, plants: string, code: string) => `${table} g
    left join ${plants} p on p.${code} = g.${code} and p.hogi = g.hogi
    where g.${code} = ${CODE} and g.hogi = ${HOGI} and g.datetime >= ${FROM} and g.datetime < ${TO}`;

const HOGI_COLUMN: ExportColumn = { name: "hogi", kind: "int", expr: "g.hogi", doc: "unit number (호기)" };

const kospo = pvDataset(
  "kospo",
  "KOSPO (한국남부발전) hourly generation, nambu_generation",
  [
    { name: "gencd", kind: "text", dict: true, expr: "g.gencd", doc: "KOSPO plant code" },
    HOGI_COLUMN,
    { name: "plant_name", kind: "text", dict: true, expr: "coalesce(g.plant_name, p.plant_name)", doc: "plant name (the source's ipptnm, else the code table's)" },
  ],
  [],
  pvFrom("public.nambu_generation", "public.nambu_plants", "gencd"),
);

const koen = pvDataset(
  "koen",
  "KOEN (한국남동발전) hourly generation, namdong_generation",
  [
    { name: "plant_name", kind: "text", dict: true, expr: "g.plant_name", doc: "발전구분 exactly as the source spells it (the plant's identity)" },
    HOGI_COLUMN,
    { name: "display_name", kind: "text", dict: true, expr: "p.display_name", doc: "the earlier pipeline's name (reference only)" },
  ],
  [{ name: "hour", kind: "int", expr: "g.hour", doc: "the source's hour label 1..24 (label N = [N−1:00, N:00))" }],
  pvFrom("public.namdong_generation", "public.namdong_plants", "plant_name"),
);

// ---------------------------------------------------------------------------------------------
// asos

const asos: Dataset = {
  id: "asos",
  title: "KMA ASOS hourly weather, weather_asos",
  row: "one station observation at tm (KST)",
  columns: [
    { name: "stn_id", kind: "int", expr: "w.stn_id", doc: "ASOS station id" },
    { name: "station_name", kind: "text", dict: true, expr: "coalesce(w.station_name, st.station_name)", doc: "station name" },
    { name: "observed_at_kst", kind: "kst", expr: "w.datetime", doc: "tm, the observation time, KST (accumulated fields cover [tm − 1 h, tm))" },
    { name: "observed_at_utc", kind: "utc", expr: "w.datetime", doc: "the same instant in UTC" },
    ...weatherColumns("w", ASOS_FIELDS, (f) => (f === "hr3_fhsc" ? "over the 3 hours ending at tm" : ACCUMULATED.has(f) ? "accumulated over [tm − 1 h, tm)" : "at tm")),
    { name: "run_id", kind: "text", dict: true, expr: "w.run_id", doc: "the run that last wrote the row" },
    { name: "updated_at_utc", kind: "utc", expr: "date_trunc('second', w.updated_at)", doc: "when the row was last written, UTC, to the second" },
  ],
  from: {
    asos: `public.weather_asos w
    left join public.asos_stations st on st.stn_id = w.stn_id
    where w.stn_id = ${STN} and w.datetime >= ${FROM} and w.datetime < ${TO}`,
  },
  orderBy: "w.datetime",
  methods: ASOS_FIELDS.filter((f) => FILLED.has(f)).map((f) => ({ column: `${f}_fill_method`, field: f, expr: `w.fill_methods ->> '${f}'` })),
};

export const DATASETS: Record<DatasetId, Dataset> = { pv_weather: pvWeather, kospo, koen, asos };
