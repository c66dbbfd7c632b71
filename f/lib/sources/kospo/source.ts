// KOSPO (한국남부발전) as a source: data.go.kr getDataService, one item per unit-day, kept as
// received in raw.kospo_items and staged as 24 hourly rows (label N → (N−1):00 KST).
import { createKospoClient, type KospoDayResult } from "./client.ts";
import { insertKospoItems, latestKospoItems, type KospoFetch, type KospoStored } from "./raw_store.ts";
import { NAMBU_GENERATION } from "./table.ts";
import { kospoItemToHourly } from "./to_hourly.ts";
import { KOSPO_UNIT_CODEC, KOSPO_UNIT_DIMENSION, kospoDims, kospoUnitKey, type KospoUnit } from "./units.ts";
import { dataGoKrSource, type DataGoKrApi } from "../datagokr/api.ts";
import { fetchDataGoKrDays, fetchedDay } from "../datagokr/collect_days.ts";
import type { CopyValue } from "../../db/copy.ts";
import type { Fetched, Source } from "../source.ts";

const kospoFetched = (d: KospoDayResult): Fetched<KospoFetch> => {
  const item = d.outcome === "data" ? d.item : null;
  return fetchedDay(`${d.ymd}|${kospoUnitKey(d.gencd, d.hogi)}`, d, { gencd: d.gencd, hogi: d.hogi, ymd: d.ymd, item }, item && { rows: 1, value: item });
};

export const kospo: Source<KospoUnit, DataGoKrApi, KospoFetch, KospoStored> = {
  name: "kospo", label: "KOSPO", description: "kospo = 한국남부발전 PV (data.go.kr)",
  units: {
    dimension: KOSPO_UNIT_DIMENSION, filters: ["plant", "unit"], codec: KOSPO_UNIT_CODEC,
    plan: (sql, f) => kospoDims(sql, { gencd: f.plant, hogi: f.unit }),
    label: (c) => c.pdim ?? "",
  },
  ...dataGoKrSource("kospo_api"),
  fetch: (r, store) =>
    fetchDataGoKrDays(r, createKospoClient, (x) => ({ ...r.unit, ...x }), kospoFetched, store, 64),
  raw: { table: "raw.kospo_items", insert: insertKospoItems, latest: latestKospoItems },
  stage: (s) => ({ any: true, rows: kospoRows(s) }),
  table: NAMBU_GENERATION,
};

function* kospoRows(s: KospoStored): Generator<CopyValue[]> {
  for (const h of kospoItemToHourly(s.item, s, s.fallbackName)) {
    yield [h.gencd, h.hogi, h.datetime, h.hourLabel, h.plantName, h.generation, h.dailyTotal, h.dailyAvg, h.dailyMax, h.dailyMin];
  }
}
