// KMA ASOS hourly weather as a source: data.go.kr getWthrDataList, the items of a station-day kept
// as received in raw.asos_items and staged one row per observation (datetime = tm, KST).
import { createAsosClient, type AsosDayResult } from "./client.ts";
import { ASOS_COLUMNS } from "./item.ts";
import { insertAsosItems, latestAsosItems, type AsosFetch, type AsosStored } from "./raw_store.ts";
import { ASOS_STATION_CODEC, ASOS_STATION_DIMENSION, asosDims } from "./stations.ts";
import { WEATHER_ASOS } from "./table.ts";
import { asosItemToHourly } from "./to_hourly.ts";
import type { CopyValue } from "../../db/copy.ts";
import { dataGoKrSource, type DataGoKrApi } from "../datagokr/api.ts";
import { fetchDataGoKrDays, fetchedDay } from "../datagokr/collect_days.ts";
import type { Fetched, Source } from "../source.ts";

const asosFetched = (d: AsosDayResult): Fetched<AsosFetch> => {
  const items = d.outcome === "data" ? d.items : null;
  return fetchedDay(`${d.ymd}|${d.stnId}`, d, { stn_id: d.stnId, ymd: d.ymd, items }, items && { rows: items.length, value: items });
};

export const asos: Source<number, DataGoKrApi, AsosFetch, AsosStored> = {
  name: "asos", label: "ASOS", description: "asos = KMA ASOS hourly weather",
  units: {
    dimension: ASOS_STATION_DIMENSION, filters: ["stations", "stationSet"], codec: ASOS_STATION_CODEC,
    // Explicit stations, else the stations mapped to plants (or every station with stationSet "all").
    plan: (sql, f) => asosDims(sql, { stations: f.stations, set: f.stationSet }),
    label: (c) => `station ${c.pdim ?? ""}`,
  },
  ...dataGoKrSource("asos_api"),
  fetch: (r, store) =>
    // A station-day is 24 items: smaller batches than KOSPO's day items.
    fetchDataGoKrDays(r, createAsosClient, (x) => ({ stnId: r.unit, ...x }), asosFetched, store, 32),
  raw: { table: "raw.asos_items", insert: insertAsosItems, latest: latestAsosItems },
  stage: (s) => ({ any: s.items.length > 0, rows: asosRows(s) }),
  table: WEATHER_ASOS,
};

function* asosRows(s: AsosStored): Generator<CopyValue[]> {
  for (const item of s.items) {
    const h = asosItemToHourly(item, s.stnId, s.fallbackName);
    yield [h.stnId, h.datetime, h.stationName, ...ASOS_COLUMNS.map((c) => h.values[c])];
  }
}
