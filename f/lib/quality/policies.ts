// Impute policies: typed data per hourly asset, saying which table holds the measured and the
// filled values, how units and partitions map onto its rows, and how each kind of gap is filled.
// impute (f/lib/quality/impute.ts) and the checks read only this. An asset declares its policy
// (and its checks) in f/lib/assets/catalog.ts; f/lib/assets/quality.ts looks them up by key.
import type { PvFillRules } from "./impute_plan.ts";

/** How an asset's partitions cover its rows. */
export type Partitioning =
  /** `YYYY-MM-DD|<unit key>`: one unit (plant unit, station) and one day per partition. */
  | { kind: "daily_unit" }
  /** `YYYY-MM-01`: every unit of a month in one partition (KOEN downloads). */
  | { kind: "monthly" };

/** Where a unit's identity, coordinates and attributes live. */
export interface UnitModel {
  /** Identity columns, named the same in the serving table and in the units table. */
  columns: readonly string[];
  /** SQL types of the identity columns (for jsonb_to_recordset). */
  types: readonly string[];
  /** SQL expression of the unit key from a row aliased `a` (e.g. `a.gencd || '-' || a.hogi`). */
  keySql: (alias: string) => string;
  /** The units table (coordinates, capacity, quality grade). */
  table: string;
  latitude: string;
  longitude: string;
}

export interface PvImputePolicy {
  kind: "pv";
  asset: string;
  table: string;
  partitioning: Partitioning;
  unit: UnitModel & {
    /** Rated power (kW) column of the units table, or null when the source has none. */
    capacity: string | null;
    /** Quality grade column (정상 / 시간별무효 / 전면무효) and the first day hourly values are valid. */
    quality: string | null;
    hourlyValidFrom: string | null;
  };
  valueColumn: string;
  filledColumn: string;
  methodColumn: string;
  /** The source's own daily total (KOSPO qvodgen, KOEN 합계), or null. */
  dailyTotalColumn: string | null;
  /** How gaps are filled (f/lib/quality/impute_plan.ts). */
  fill: PvFillRules;
  /** Grades whose hourly values are invalid (DOMAIN §5.4): their gaps are only night-filled. */
  invalidHourlyGrades: readonly string[];
}

/**
 * One weather field. Instantaneous fields (a reading at tm) are interpolated over short gaps;
 * accumulated fields (a total over the hour ending at tm) never are: they are 0 only where the sun
 * is below the horizon for that whole hour, at stations that measure them.
 */
export type WeatherFieldRule =
  | {
      field: string;
      kind: "instantaneous";
      /** Gaps up to this many hours (on the hourly grid, missing rows included) are interpolated. */
      maxInterpolateHours: number;
    }
  | {
      field: string;
      kind: "accumulated";
      /** Whole-night hours → 0: at every station with coordinates, or only where the unit's sensor flag (`nightZeroWhere`) holds. */
      nightZero: "all" | "sensor" | "never";
    };

export interface WeatherImputePolicy {
  kind: "weather";
  asset: string;
  table: string;
  partitioning: Partitioning;
  unit: UnitModel & {
    /** Boolean column of the units table: the station has the sensor of the `nightZero: "sensor"` fields (pyranometer). */
    nightZeroWhere: string;
  };
  fields: readonly WeatherFieldRule[];
  /** `<field>_filled` columns. */
  filledSuffix: string;
  /** jsonb column: field → method, for the fields that have a filled value. */
  methodsColumn: string;
  /**
   * Accumulated fields cover the hour ending at the row's time (ASOS rn/ss/icsr: [tm − 1 h, tm)),
   * which is the interval night detection looks at.
   */
  intervalEndsAtRowTime: boolean;
}

export type ImputePolicy = PvImputePolicy | WeatherImputePolicy;

const INVALID_HOURLY = ["시간별무효", "전면무효"] as const;

/**
 * Defaults for PV (docs/QUALITY.md, measured with `pvpipe impute --evaluate`): night → 0; daytime
 * gaps of at most 6 h from the clear-sky index of the same day's neighbouring hours; longer ones
 * NULL and reported. Units without coordinates: linear over at most 3 h.
 */
export const PV_FILL_DEFAULTS: PvFillRules = {
  night: "zero",
  daytime: "clear_sky_index",
  maxGapHours: 6,
  noCoordinatesMaxGapHours: 3,
  anchorMinClearSky: 0.1,
  oneSidedRelaxHours: 3,
};

export const PV_DEFAULTS = {
  fill: PV_FILL_DEFAULTS,
  invalidHourlyGrades: INVALID_HOURLY,
} as const satisfies Partial<PvImputePolicy>;

/** Both operators' plant tables and serving tables name these columns alike (migrations 0002, 0004). */
const PV_PLANT_COLUMNS = {
  latitude: "latitude",
  longitude: "longitude",
  capacity: "capacity_kw",
  quality: "data_quality",
  hourlyValidFrom: "hourly_valid_from",
} as const;
const PV_SERVING_COLUMNS = {
  valueColumn: "generation",
  filledColumn: "generation_filled",
  methodColumn: "fill_method",
  dailyTotalColumn: "daily_total",
} as const;

export const KOSPO_HOURLY_POLICY: PvImputePolicy = {
  kind: "pv",
  asset: "kospo/hourly",
  table: "public.nambu_generation",
  partitioning: { kind: "daily_unit" },
  unit: {
    columns: ["gencd", "hogi"],
    types: ["text", "int"],
    keySql: (a) => `(${a}.gencd || '-' || ${a}.hogi)`,
    table: "public.nambu_plants",
    ...PV_PLANT_COLUMNS,
  },
  ...PV_SERVING_COLUMNS,
  ...PV_DEFAULTS,
};

export const KOEN_HOURLY_POLICY: PvImputePolicy = {
  kind: "pv",
  asset: "koen/hourly",
  table: "public.namdong_generation",
  partitioning: { kind: "monthly" },
  unit: {
    columns: ["plant_name", "hogi"],
    types: ["text", "int"],
    keySql: (a) => `(${a}.plant_name || '-' || ${a}.hogi)`,
    table: "public.namdong_plants",
    ...PV_PLANT_COLUMNS,
  },
  ...PV_SERVING_COLUMNS,
  ...PV_DEFAULTS,
};

/**
 * ASOS: instantaneous fields over gaps of at most 3 h; accumulated ones (rn, ss, icsr: the hour
 * ending at tm) never interpolated — ss and icsr are 0 for whole-night hours (icsr only where there
 * is a pyranometer), and a blank rn stays NULL: KMA leaves rn empty when no precipitation is reported.
 */
export const ASOS_HOURLY_POLICY: WeatherImputePolicy = {
  kind: "weather",
  asset: "asos/hourly",
  table: "public.weather_asos",
  partitioning: { kind: "daily_unit" },
  unit: {
    columns: ["stn_id"],
    types: ["int"],
    keySql: (a) => `(${a}.stn_id::text)`,
    table: "public.asos_stations",
    latitude: "latitude",
    longitude: "longitude",
    nightZeroWhere: "has_solar_sensor",
  },
  fields: [
    { field: "ta", kind: "instantaneous", maxInterpolateHours: 3 },
    { field: "hm", kind: "instantaneous", maxInterpolateHours: 3 },
    { field: "ps", kind: "instantaneous", maxInterpolateHours: 3 },
    { field: "pa", kind: "instantaneous", maxInterpolateHours: 3 },
    { field: "td", kind: "instantaneous", maxInterpolateHours: 3 },
    { field: "ws", kind: "instantaneous", maxInterpolateHours: 3 },
    { field: "rn", kind: "accumulated", nightZero: "never" },
    { field: "ss", kind: "accumulated", nightZero: "all" },
    { field: "icsr", kind: "accumulated", nightZero: "sensor" },
  ],
  filledSuffix: "_filled",
  methodsColumn: "fill_methods",
  intervalEndsAtRowTime: true,
};

/** `"public.nambu_generation"` → `"public"."nambu_generation"` (policy names are constants, quoted anyway). */
export function qualifiedName(name: string): string {
  return name
    .split(".")
    .map((p) => `"${p.replaceAll('"', '""')}"`)
    .join(".");
}

export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
