// The project's assets. Other sources add theirs here as they land. An hourly asset declares its
// quality here too: its checks (one line each; the function lives in f/lib/quality/checks/) and
// its fill policy (f/lib/quality/policies.ts), as Dagster's AssetCheckSpec sits on the asset.
import { CheckDeclarationError } from "../quality/check_spec.ts";
import { completeness } from "../quality/checks/completeness.ts";
import { dailyTotal } from "../quality/checks/daily_total.ts";
import { freshness } from "../quality/checks/freshness.ts";
import { impossiblePv, impossibleWeather } from "../quality/checks/impossible_values.ts";
import { nightGeneration } from "../quality/checks/night_generation.ts";
import { oneCellDay } from "../quality/checks/one_cell_day.ts";
import { repeatedDailyTotal } from "../quality/checks/repeated_daily_total.ts";
import { stuckValues } from "../quality/checks/stuck_values.ts";
import { zeroDay } from "../quality/checks/zero_day.ts";
import { ASOS_HOURLY_POLICY, KOEN_HOURLY_POLICY, KOSPO_HOURLY_POLICY } from "../quality/policies.ts";
import { KOEN_SETTLED_DAY } from "../sources/koen/months.ts";
import { buildGraph, type AssetDef } from "./graph.ts";
import { daily, dynamicKeys, monthly, product } from "./partitions.ts";

/** The PV checks both operators' hourly assets declare (README "Quality"). */
const PV_CHECKS = [
  completeness(),
  nightGeneration(),
  impossiblePv(),
  dailyTotal(),
  repeatedDailyTotal(),
  oneCellDay(),
  stuckValues(),
  zeroDay(),
];

export const KOSPO_UNITS = dynamicKeys("kospo_unit");

export const kospoRaw: AssetDef = {
  key: "kospo/raw",
  description: "KOSPO getDataService items exactly as received, one per unit-day (raw.kospo_items)",
  deps: [],
  partitions: product(daily("2015-01-01"), KOSPO_UNITS),
  codeVersion: "1",
  step: "f/pv/kospo_sync",
  table: "raw.kospo_items",
};

export const kospoHourly: AssetDef = {
  key: "kospo/hourly",
  description: "KOSPO hourly PV generation, interval start KST, NULL = not measured (nambu_generation)",
  deps: ["kospo/raw"],
  partitions: product(daily("2015-01-01"), KOSPO_UNITS),
  codeVersion: "1",
  step: "f/pv/ingest",
  table: "public.nambu_generation",
  fillPolicy: KOSPO_HOURLY_POLICY,
  checks: [...PV_CHECKS, freshness({ kind: "daily", deadlineHourKst: 10 })],
};

export const ASOS_STATIONS_DIM = dynamicKeys("asos_station");

export const asosRaw: AssetDef = {
  key: "asos/raw",
  description: "KMA ASOS getWthrDataList items exactly as received, one station-day per partition (raw.asos_items)",
  deps: [],
  partitions: product(daily("2010-01-01"), ASOS_STATIONS_DIM),
  codeVersion: "1",
  step: "f/pv/asos_collect",
  table: "raw.asos_items",
};

export const asosHourly: AssetDef = {
  key: "asos/hourly",
  description: "KMA ASOS hourly weather per station at observation time tm (KST), NULL = not observed (weather_asos)",
  deps: ["asos/raw"],
  partitions: product(daily("2010-01-01"), ASOS_STATIONS_DIM),
  codeVersion: "1",
  step: "f/pv/ingest",
  table: "public.weather_asos",
  fillPolicy: ASOS_HOURLY_POLICY,
  checks: [completeness(), impossibleWeather(), freshness({ kind: "daily", deadlineHourKst: 10 })],
};

// KOEN: one monthly download covers every plant, so the partitions are months with no other dimension.
export const koenRaw: AssetDef = {
  key: "koen/raw",
  description: "KOEN koenergy.kr PV CSV downloads: exact bytes, sha256 and request, one per month (raw.koen_files)",
  deps: [],
  partitions: monthly("2022-01-01"),
  codeVersion: "1",
  step: "f/pv/koen_collect",
  table: "raw.koen_files",
};

export const koenHourly: AssetDef = {
  key: "koen/hourly",
  description: "KOEN hourly PV generation per (발전구분, 호기), interval start KST, NULL = not measured (namdong_generation)",
  deps: ["koen/raw"],
  partitions: monthly("2022-01-01"),
  codeVersion: "1",
  step: "f/pv/ingest",
  table: "public.namdong_generation",
  fillPolicy: KOEN_HOURLY_POLICY,
  // A month is due by the 11th and final once loaded on or after the 10th (KOEN publishes by then).
  checks: [...PV_CHECKS, freshness({ kind: "monthly", deadlineDay: 11, finalFromDay: KOEN_SETTLED_DAY })],
};

export const ASSETS: AssetDef[] = [kospoRaw, kospoHourly, asosRaw, asosHourly, koenRaw, koenHourly];

export const graph = buildGraph(ASSETS);

/** A declaration error surfaces when the catalog loads, not in the middle of a backfill. */
export function validateQuality(assets: readonly AssetDef[]): void {
  for (const a of assets) {
    const names = new Set<string>();
    for (const c of a.checks ?? []) {
      if (names.has(c.name)) throw new CheckDeclarationError(a.key, c.name, "is declared twice");
      names.add(c.name);
      if (c.kind !== "subject") continue;
      if (!a.fillPolicy) throw new CheckDeclarationError(a.key, c.name, "needs the asset's table model (fillPolicy)");
      if (a.fillPolicy.asset !== a.key) throw new CheckDeclarationError(a.key, c.name, `reads the policy of ${a.fillPolicy.asset}`);
      const why = c.fits(a.fillPolicy);
      if (why) throw new CheckDeclarationError(a.key, c.name, why);
    }
  }
}
validateQuality(ASSETS);
