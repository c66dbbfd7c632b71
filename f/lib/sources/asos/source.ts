// KMA ASOS hourly weather as a source: data.go.kr getWthrDataList, the items of a station-day kept
// as received in raw.asos_items and staged one row per observation (datetime = tm, KST).
import { createAsosClient, type AsosDayResult } from "./client.ts";
import { ASOS_COLUMNS } from "./item.ts";
import { insertAsosItems, latestAsosItems, type AsosFetch, type AsosStored } from "./raw_store.ts";
import { ASOS_STATION_CODEC, ASOS_STATION_DIMENSION, asosDims } from "./stations.ts";
import { WEATHER_ASOS } from "./table.ts";
import { asosItemToHourly } from "./to_hourly.ts";
import type { CopyValue } from "../../db/copy.ts";
import { dataGoKrApi, dataGoKrQuota, type DataGoKrApi } from "../datagokr/api.ts";
import { collectDays, dayError } from "../datagokr/collect_days.ts";
import { payloadHash } from "../payload_hash.ts";
import type { Fetched, Source } from "../source.ts";

const asosFetched = (d: AsosDayResult): Fetched<AsosFetch> => {
  const items = d.outcome === "data" ? d.items : null;
  return {
    partition: `${d.ymd}|${d.stnId}`,
    outcome: d.outcome,
    payload: { stn_id: d.stnId, ymd: d.ymd, items },
    rows: items?.length ?? 0,
    version: items ? payloadHash(items) : null,
    error: dayError(d),
  };
};

export const asos: Source<number, DataGoKrApi, AsosFetch, AsosStored> = {
  name: "asos",
  label: "ASOS",
  description: "asos = KMA ASOS hourly weather",
  units: {
    dimension: ASOS_STATION_DIMENSION,
    filters: ["stations", "stationSet"],
    codec: ASOS_STATION_CODEC,
    // Explicit stations, else the stations mapped to plants (or every station with stationSet "all").
    plan: (sql, f) => asosDims(sql, { stations: f.stations, set: f.stationSet }),
    label: (c) => `station ${c.pdim ?? ""}`,
  },
  planning: { maxChunk: 31, publishesUpTo: "yesterday" },
  api: { resource: "asos_api", schema: dataGoKrApi },
  quota: dataGoKrQuota,
  retry: { attempts: 2, seconds: 30 },
  async fetch(r, store) {
    const client = createAsosClient({
      baseUrl: r.api.base_url,
      serviceKey: r.api.service_key,
      keyVariable: r.api.key_name,
      timeoutMs: r.api.timeout_ms ?? undefined,
      concurrency: r.concurrency,
      requestsPerSecond: r.requestsPerSecond,
      signal: r.signal,
      beforeRequest: r.beforeRequest,
    });
    try {
      // A station-day is 24 items: smaller batches than KOSPO's day items.
      await collectDays(r.todo, (ranges, onDay) => client.fetchDays(ranges.map((x) => ({ stnId: r.unit, ...x })), onDay), asosFetched, store, 32);
    } finally {
      Object.assign(r.stats, { requests: client.stats().requests, retries: client.stats().retries });
    }
  },
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
