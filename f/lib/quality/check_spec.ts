// What an asset check is, as the asset declares it (Dagster's AssetCheckSpec): a name, a severity,
// what it means, whether a failure blocks the next step for that partition, and how it decides.
// A subject check judges every plant-day (station-day) of a chunk in one set-based SQL over the
// chunk's rows (run_checks.ts builds the CTEs it reads); freshness judges the asset as a whole.
import { ActionableError } from "../runtime/errors.ts";
import type { FillModel, PvFillModel, WeatherFillModel } from "./fill_model.ts";

export type Severity = "warn" | "error";

interface CheckSpecBase {
  name: string;
  /** What a failure means, for people (`pvpipe assets`, docs). */
  description: string;
  severity: Severity;
  /** A failing result of severity error makes the next step (impute) skip the partition. */
  blocking: boolean;
}

/**
 * The SQL of a subject check reads these CTEs and yields one row per subject it judges:
 * `(sid int, passed boolean, value float8, message text)`; a subject it cannot judge yields no row.
 * - `s`: the subjects: sid, partition, day (date), unit, the unit's identity columns, capacity_kw,
 *   sunrise, sunset (timestamptz; null without coordinates);
 * - `h`: the subjects' hourly rows: sid, datetime, hr (KST hour 0..23) and, for PV, `v` (measured
 *   generation) and `dt` (the source's daily total); for weather, the columns the checks declare;
 * - `hist` (when a check declares `lookbackDays`): the units' rows before the chunk, as `h` but with
 *   the identity columns and `day` instead of `sid`.
 */
export interface SubjectCheckSpec extends CheckSpecBase {
  kind: "subject";
  sql(model: FillModel): string;
  /** Whether the check fits the asset's table (null) or why not. Checked when the catalog loads. */
  fits(model: FillModel): string | null;
  /** Weather: serving-table columns the check reads (PV checks read `v` and `dt`). */
  columns?: readonly string[];
  /** Days before the chunk the check looks back on (`hist`). */
  lookbackDays?: number;
}

/** When the newest partition is due: D-1 by an hour (KST) of D, or the previous month by a day of this one. */
export type FreshnessRule =
  | { kind: "daily"; deadlineHourKst: number }
  /** finalFromDay: a month loaded before that day of the next month is partial (the source may still change it). */
  | { kind: "monthly"; deadlineDay: number; finalFromDay?: number };

export interface FreshnessCheckSpec extends CheckSpecBase {
  kind: "freshness";
  rule: FreshnessRule;
}

export type AssetCheckSpec = SubjectCheckSpec | FreshnessCheckSpec;

export const FRESHNESS = "freshness";

/** A check declared on an asset whose table it does not fit. */
export class CheckDeclarationError extends ActionableError {
  constructor(asset: string, check: string, reason: string) {
    super(`asset ${asset}: check ${check} ${reason}`);
  }
}

export const needsPv = (m: FillModel): string | null => (m.kind === "pv" ? null : "needs a PV table");
export const needsWeather = (m: FillModel): string | null => (m.kind === "weather" ? null : "needs a weather table");

export function asPv(m: FillModel, check: string): PvFillModel {
  if (m.kind !== "pv") throw new CheckDeclarationError(m.asset, check, "needs a PV table");
  return m;
}

export function asWeather(m: FillModel, check: string): WeatherFillModel {
  if (m.kind !== "weather") throw new CheckDeclarationError(m.asset, check, "needs a weather table");
  return m;
}

type CheckHead = Pick<SubjectCheckSpec, "name" | "severity" | "blocking" | "description"> & Partial<Pick<SubjectCheckSpec, "fits" | "lookbackDays" | "columns">>;

/** A subject check of PV tables: its declaration, and its SQL over the asset's PV fill model. */
export function pvCheck(head: CheckHead, sql: (m: PvFillModel) => string): SubjectCheckSpec {
  return { kind: "subject", fits: needsPv, ...head, sql: (m) => sql(asPv(m, head.name)) };
}

/** A subject check of weather tables: its declaration, and its SQL over the asset's weather fill model. */
export function weatherCheck(head: CheckHead, sql: (m: WeatherFillModel) => string): SubjectCheckSpec {
  return { kind: "subject", fits: needsWeather, ...head, sql: (m) => sql(asWeather(m, head.name)) };
}
