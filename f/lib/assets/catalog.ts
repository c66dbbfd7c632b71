// The project's assets, each declared once: partitions, dependencies, table, source, code version
// and, for a served asset, its quality — its checks (one line each; the function lives in
// f/lib/quality/checks/) and its fill rules, as Dagster's AssetCheckSpec sits on the asset. Every
// registry (sources, planner scopes, check lists, fill models, chunk flows) derives from this list.
import { completeness } from "../quality/checks/completeness.ts";
import { dailyTotal } from "../quality/checks/daily_total.ts";
import { freshness } from "../quality/checks/freshness.ts";
import { impossiblePv, impossibleWeather } from "../quality/checks/impossible_values.ts";
import { nightGeneration } from "../quality/checks/night_generation.ts";
import { oneCellDay } from "../quality/checks/one_cell_day.ts";
import { repeatedDailyTotal } from "../quality/checks/repeated_daily_total.ts";
import { stuckValues } from "../quality/checks/stuck_values.ts";
import { zeroDay } from "../quality/checks/zero_day.ts";
import { PV_FILL_RULES, WEATHER_FILL_RULES } from "../quality/fill_model.ts";
import { asos } from "../sources/asos/source.ts";
import { koen } from "../sources/koen/source.ts";
import { KOEN_SETTLED_DAY } from "../sources/koen/months.ts";
import { kospo } from "../sources/kospo/source.ts";
import { loadedAsset, rawAsset, validateQuality } from "./declare.ts";
import { buildGraph, type AssetDef, type LoadedAsset } from "./graph.ts";
import { daily, monthly } from "./partitions.ts";

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

const FRESH_BY_10 = freshness({ kind: "daily", deadlineHourKst: 10 });

export const kospoRaw = rawAsset(kospo, "kospo/raw", daily("2015-01-01"), "KOSPO getDataService items exactly as received, one per unit-day (raw.kospo_items)");
export const kospoHourly = loadedAsset(kospoRaw, kospo, {
  key: "kospo/hourly", codeVersion: "1", fill: PV_FILL_RULES, checks: [...PV_CHECKS, FRESH_BY_10],
  description: "KOSPO hourly PV generation, interval start KST, NULL = not measured (nambu_generation)",
});

export const asosRaw = rawAsset(asos, "asos/raw", daily("2010-01-01"), "KMA ASOS getWthrDataList items exactly as received, one station-day per partition (raw.asos_items)");
export const asosHourly = loadedAsset(asosRaw, asos, {
  key: "asos/hourly", codeVersion: "1", fill: WEATHER_FILL_RULES, checks: [completeness(), impossibleWeather(), FRESH_BY_10],
  description: "KMA ASOS hourly weather per station at observation time tm (KST), NULL = not observed (weather_asos)",
});

// KOEN: one monthly download covers every plant, so the partitions are months with no other dimension.
// A month is due by the 11th and final once loaded on or after the 10th (KOEN publishes by then).
export const koenRaw = rawAsset(koen, "koen/raw", monthly("2022-01-01"), "KOEN koenergy.kr PV CSV downloads: exact bytes, sha256 and request, one per month (raw.koen_files)");
export const koenHourly = loadedAsset(koenRaw, koen, {
  key: "koen/hourly", codeVersion: "1", fill: PV_FILL_RULES, checks: [...PV_CHECKS, freshness({ kind: "monthly", deadlineDay: 11, finalFromDay: KOEN_SETTLED_DAY })],
  description: "KOEN hourly PV generation per (발전구분, 호기), interval start KST, NULL = not measured (namdong_generation)",
});

/** The assets a source serves, in the order flows and forms list their sources. */
export const LOADED_ASSETS: LoadedAsset[] = [kospoHourly, asosHourly, koenHourly];

export const ASSETS: AssetDef[] = LOADED_ASSETS.flatMap((a) => [a.raw, a]);

export const graph = buildGraph(ASSETS);

validateQuality(ASSETS);
