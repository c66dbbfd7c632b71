// What impute and the checks know of a served asset: its table as the source describes it
// (f/lib/sources/serving_table.ts: units, measured and fill columns) and how the asset fills gaps
// (its declared fill rules), put together once when the catalog is declared (f/lib/assets/catalog.ts).
import { ActionableError } from "../runtime/errors.ts";
import type { PvFillRules } from "./impute_plan.ts";
import type { FillColumns, ServingTable, UnitModel } from "../sources/serving_table.ts";

/** How an asset's partitions cover its rows. */
export type Partitioning =
  /** `YYYY-MM-DD|<unit key>`: one unit (plant unit, station) and one day per partition. */
  | { kind: "daily_unit" }
  /** `YYYY-MM-01`: every unit of a month in one partition (KOEN downloads). */
  | { kind: "monthly" };

export interface PvFillModel {
  kind: "pv";
  asset: string;
  table: string;
  partitioning: Partitioning;
  unit: UnitModel & { capacity: string | null; quality: string | null; hourlyValidFrom: string | null };
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

export interface WeatherFillModel {
  kind: "weather";
  asset: string;
  table: string;
  partitioning: Partitioning;
  unit: UnitModel & { nightZeroWhere: string };
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

export type FillModel = PvFillModel | WeatherFillModel;

/** What an asset declares about filling: the rules only; the columns come from its source's table. */
export type FillRules =
  | { kind: "pv"; fill: PvFillRules; invalidHourlyGrades: readonly string[] }
  | { kind: "weather"; fields: readonly WeatherFieldRule[]; intervalEndsAtRowTime: boolean };

/** A fill declaration that does not fit the source's table. */
export class FillDeclarationError extends ActionableError {
  constructor(asset: string, reason: string) {
    super(`asset ${asset}: fill rules ${reason}`);
  }
}

export function fillModel(asset: string, partitioning: Partitioning, table: ServingTable, rules: FillRules): FillModel {
  const f: FillColumns = table.fill;
  const u = table.units;
  if (rules.kind === "pv") {
    if (f.kind !== "value") throw new FillDeclarationError(asset, `for PV need one measured value column; ${table.name} has fields`);
    return {
      kind: "pv",
      asset,
      table: table.name,
      partitioning,
      unit: { ...u, capacity: u.capacity ?? null, quality: u.quality ?? null, hourlyValidFrom: u.hourlyValidFrom ?? null },
      valueColumn: f.value,
      filledColumn: f.filled,
      methodColumn: f.method,
      dailyTotalColumn: f.dailyTotal,
      fill: rules.fill,
      invalidHourlyGrades: rules.invalidHourlyGrades,
    };
  }
  if (f.kind !== "fields") throw new FillDeclarationError(asset, `for weather need measured fields; ${table.name} has one value column`);
  if (!u.nightZeroWhere) throw new FillDeclarationError(asset, `for weather need the units' sensor column (nightZeroWhere) in ${u.table}`);
  const unfilled = rules.fields.filter((r) => !f.fields.includes(r.field)).map((r) => r.field);
  if (unfilled.length) throw new FillDeclarationError(asset, `name fields ${table.name} has no fill column for: ${unfilled.join(", ")}`);
  return {
    kind: "weather",
    asset,
    table: table.name,
    partitioning,
    unit: { ...u, nightZeroWhere: u.nightZeroWhere },
    fields: rules.fields,
    filledSuffix: f.suffix,
    methodsColumn: f.methods,
    intervalEndsAtRowTime: rules.intervalEndsAtRowTime,
  };
}

const INVALID_HOURLY = ["시간별무효", "전면무효"] as const;

/**
 * Defaults for PV (docs/QUALITY.md, measured with `pvpipe impute --evaluate`): night → 0; daytime
 * gaps of at most 6 h from the clear-sky index of the same day's neighbouring hours, in the shape
 * of a measured unit of the same site (within 1 km) or else of the plant's pyranometer station
 * (within 30 km) when one agrees with the unit's day; longer gaps NULL and reported. Units without
 * coordinates: linear over at most 3 h.
 */
export const PV_FILL_DEFAULTS: PvFillRules = {
  night: "zero",
  daytime: "clear_sky_index",
  maxGapHours: 6,
  noCoordinatesMaxGapHours: 3,
  anchorMinClearSky: 0.1,
  oneSidedRelaxHours: 3,
  references: {
    sibling: { maxKm: 1, maxMismatch: 0.1 },
    // A station is another place and another instrument: it must agree more closely.
    station: { asset: "asos/hourly", field: "icsr", maxKm: 30, maxMismatch: 0.05 },
    minAgreementHours: 2,
  },
};

export const PV_FILL_RULES: FillRules = { kind: "pv", fill: PV_FILL_DEFAULTS, invalidHourlyGrades: INVALID_HOURLY };

/**
 * ASOS: instantaneous fields over gaps of at most 3 h; accumulated ones (rn, ss, icsr: the hour
 * ending at tm) never interpolated — ss and icsr are 0 for whole-night hours (icsr only where there
 * is a pyranometer), and a blank rn stays NULL: KMA leaves rn empty when no precipitation is reported.
 */
export const WEATHER_FILL_RULES: FillRules = {
  kind: "weather",
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
  intervalEndsAtRowTime: true,
};
