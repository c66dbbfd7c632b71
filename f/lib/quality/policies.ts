// Impute policies: typed data per hourly asset, saying which table holds the measured and the
// filled values, how units and partitions map onto its rows, and how each kind of gap is filled.
// impute (f/lib/quality/impute.ts) and the checks read only this. An asset declares its policy
// (and its checks) in f/lib/assets/catalog.ts; f/lib/assets/quality.ts looks them up by key.

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
  /** Gaps of at most this many daytime hours (within one day) are interpolated linearly. */
  maxInterpolateHours: number;
  /** Hours whose whole interval has the sun below the horizon: `zero` fills them with 0. */
  night: "zero" | "none";
  /** Longer daytime gaps: a clear-sky-shaped profile, or left NULL. */
  long: "profile" | "none";
  /** The profile's scale per hour comes from this many preceding days … */
  profileLookbackDays: number;
  /** … and needs a measured value at that hour on at least this many of them (else `none`). */
  profileMinDays: number;
  /** Grades whose hourly values are invalid (DOMAIN §5.4): their gaps are only night-filled. */
  invalidHourlyGrades: readonly string[];
}

export interface WeatherFieldRule {
  field: string;
  /** Gaps up to this many hours (counted on the hourly grid, missing rows included) are interpolated. */
  maxInterpolateHours: number;
  /** Fill hours whose whole measured interval is night with 0 — only at units where `nightZeroWhere` holds. */
  nightZero?: boolean;
}

export interface WeatherImputePolicy {
  kind: "weather";
  asset: string;
  table: string;
  partitioning: Partitioning;
  unit: UnitModel & {
    /** Boolean column of the units table: the station measures the night-zero fields (pyranometer). */
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

/** Defaults for PV (README "Quality"). */
export const PV_DEFAULTS = {
  maxInterpolateHours: 3,
  night: "zero",
  long: "profile",
  profileLookbackDays: 14,
  profileMinDays: 3,
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

/** ASOS: instantaneous fields ≤ 3 h; accumulated ones never across more than one hour; icsr 0 at night where measured. */
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
    { field: "ta", maxInterpolateHours: 3 },
    { field: "hm", maxInterpolateHours: 3 },
    { field: "ps", maxInterpolateHours: 3 },
    { field: "pa", maxInterpolateHours: 3 },
    { field: "td", maxInterpolateHours: 3 },
    { field: "rn", maxInterpolateHours: 1 },
    { field: "ss", maxInterpolateHours: 1 },
    { field: "icsr", maxInterpolateHours: 1, nightZero: true },
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
