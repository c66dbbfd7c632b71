// Asset checks, declared per asset in code: name, severity, whether a failure blocks the next
// step for that partition, and the SQL module that decides (f/lib/quality/checks/*.ts). They run
// after every materialization (the `check` step of each chunk) and on demand (`pvpipe check`).
// Thresholds are data here, next to the check they parameterise.
import { pvHourColumns, weatherHourColumns, type Severity } from "./checks/common.ts";
import { completenessSql } from "./checks/completeness.ts";
import { dailyTotalSql } from "./checks/daily_total.ts";
import type { FreshnessRule } from "./checks/freshness.ts";
import { impossiblePvSql, impossibleWeatherSql, type FieldRanges } from "./checks/impossible_values.ts";
import { nightGenerationSql } from "./checks/night_generation.ts";
import { oneCellDaySql } from "./checks/one_cell_day.ts";
import { repeatedDailyTotalSql } from "./checks/repeated_daily_total.ts";
import { stuckValuesSql } from "./checks/stuck_values.ts";
import { zeroDaySql } from "./checks/zero_day.ts";
import {
  ASOS_HOURLY_POLICY,
  KOEN_HOURLY_POLICY,
  KOSPO_HOURLY_POLICY,
  UnknownQualityAsset,
  type ImputePolicy,
  type PvImputePolicy,
  type WeatherImputePolicy,
} from "./policies.ts";

export type { Severity };

interface CheckBase {
  name: string;
  description: string;
  severity: Severity;
  /** A failing result (severity error) makes the next step skip the partition. */
  blocking: boolean;
}

export interface PartitionCheck extends CheckBase {
  kind: "partition";
  /** SQL over the subjects ($1), one row per judged unit-day (checks/common.ts). */
  sql: string;
}

export interface FreshnessCheck extends CheckBase {
  kind: "freshness";
  rule: FreshnessRule;
}

export type CheckDef = PartitionCheck | FreshnessCheck;

export interface AssetChecks {
  asset: string;
  policy: ImputePolicy;
  /** The columns of the serving table the partition checks read (the slice's hours table). */
  hourColumns: string;
  checks: CheckDef[];
}

export const FRESHNESS = "freshness";

/** Thresholds of the PV checks (README "Quality"). */
export const PV_CHECK_DEFAULTS = {
  nightToleranceKwh: 0,
  capacityFactor: 1.2,
  dailyTotalAbsKwh: 1,
  dailyTotalRel: 0.01,
  oneCellShare: 0.95,
  oneCellMinKwh: 1,
  stuckHours: 4,
  repeatedDays: 3,
  zeroDayMinHours: 12,
};

export function pvChecks(p: PvImputePolicy, freshness: FreshnessRule, t = PV_CHECK_DEFAULTS): CheckDef[] {
  const checks: CheckDef[] = [
    { kind: "partition", name: "completeness", severity: "warn", blocking: false, description: "24 measured hourly values per plant-day", sql: completenessSql(p) },
    { kind: "partition", name: "night_generation", severity: "error", blocking: false, description: "no generation while the sun is below the horizon", sql: nightGenerationSql(p, t.nightToleranceKwh) },
    { kind: "partition", name: "impossible_values", severity: "error", blocking: true, description: `no negative values, no hour above ${t.capacityFactor} × capacity`, sql: impossiblePvSql(p, t.capacityFactor) },
    ...(p.dailyTotalColumn
      ? ([
          { kind: "partition", name: "daily_total", severity: "warn", blocking: false, description: `daily total = Σ hours within max(${t.dailyTotalAbsKwh} kWh, ${t.dailyTotalRel * 100}%)`, sql: dailyTotalSql(p, t.dailyTotalAbsKwh, t.dailyTotalRel) },
          { kind: "partition", name: "repeated_daily_total", severity: "warn", blocking: false, description: `not the same non-zero daily total ${t.repeatedDays} days running`, sql: repeatedDailyTotalSql(p, t.repeatedDays) },
        ] satisfies CheckDef[])
      : []),
    { kind: "partition", name: "one_cell_day", severity: "error", blocking: false, description: `no hour with ≥ ${t.oneCellShare * 100}% of the day's energy`, sql: oneCellDaySql(p, t.oneCellShare, t.oneCellMinKwh) },
    { kind: "partition", name: "stuck_values", severity: "warn", blocking: false, description: `no non-zero value repeated ${t.stuckHours} hours running`, sql: stuckValuesSql(p, t.stuckHours) },
    { kind: "partition", name: "zero_day", severity: "warn", blocking: false, description: "not every measured hour 0", sql: zeroDaySql(p, t.zeroDayMinHours) },
    { kind: "freshness", name: FRESHNESS, severity: "error", blocking: false, description: "the latest partition is there by its deadline", rule: freshness },
  ];
  return checks;
}

/** Physical ranges of ASOS fields (units as KMA gives them). */
export const ASOS_RANGES: FieldRanges = {
  ta: [-50, 50],
  td: [-60, 40],
  hm: [0, 100],
  pa: [500, 1100],
  ps: [850, 1100],
  rn: [0, 400],
  ss: [0, 1],
  icsr: [0, 5],
  ws: [0, 75],
  wd: [0, 360],
};

export function weatherChecks(p: WeatherImputePolicy, freshness: FreshnessRule, ranges: FieldRanges = ASOS_RANGES): CheckDef[] {
  return [
    { kind: "partition", name: "completeness", severity: "warn", blocking: false, description: "24 hourly observations per station-day", sql: completenessSql(p) },
    { kind: "partition", name: "impossible_values", severity: "error", blocking: true, description: "every value within its physical range", sql: impossibleWeatherSql(p, ranges) },
    { kind: "freshness", name: FRESHNESS, severity: "error", blocking: false, description: "the latest partition is there by its deadline", rule: freshness },
  ];
}

const pvAsset = (p: PvImputePolicy, freshness: FreshnessRule): AssetChecks => ({ asset: p.asset, policy: p, hourColumns: pvHourColumns(p), checks: pvChecks(p, freshness) });
const weatherAsset = (p: WeatherImputePolicy, freshness: FreshnessRule, ranges: FieldRanges = ASOS_RANGES): AssetChecks => ({
  asset: p.asset,
  policy: p,
  hourColumns: weatherHourColumns([...new Set([...p.fields.map((f) => f.field), ...Object.keys(ranges)])]),
  checks: weatherChecks(p, freshness, ranges),
});

export const ASSET_CHECKS: Record<string, AssetChecks> = {
  [KOSPO_HOURLY_POLICY.asset]: pvAsset(KOSPO_HOURLY_POLICY, { kind: "daily", deadlineHourKst: 10 }),
  [ASOS_HOURLY_POLICY.asset]: weatherAsset(ASOS_HOURLY_POLICY, { kind: "daily", deadlineHourKst: 10 }),
  [KOEN_HOURLY_POLICY.asset]: pvAsset(KOEN_HOURLY_POLICY, { kind: "monthly", deadlineDay: 11 }),
};

export function assetChecks(asset: string): AssetChecks {
  const a = ASSET_CHECKS[asset];
  if (!a) throw new UnknownQualityAsset(asset, Object.keys(ASSET_CHECKS));
  return a;
}
