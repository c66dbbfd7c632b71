// raw.asos_items: the exact items of each station-day fetch, and the latest one of each partition
// read back for staging (with the reference name a nameless item falls back to).
import type { Sql } from "../../db/resource.ts";
import type { Fetched, Stored } from "../source.ts";
import type { AsosRawItem } from "./item.ts";

export interface AsosFetch {
  stn_id: number;
  ymd: string;
  items: AsosRawItem[] | null;
}

export interface AsosStored {
  stnId: number;
  items: AsosRawItem[];
  fallbackName: string | null;
}

export async function insertAsosItems(tx: Sql, runId: string, batch: Fetched<AsosFetch>[]): Promise<void> {
  const rows = batch.map((f) => ({ run_id: runId, partition: f.partition, ...f.payload, outcome: f.outcome, error: f.error }));
  await tx`
    insert into raw.asos_items (run_id, partition, stn_id, ymd, outcome, items, error)
    select run_id, partition, stn_id, ymd, outcome, items, error
    -- The items are kept as received (any JSON), so they travel as their JSON text.
    from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as t(
      run_id text, partition text, stn_id int, ymd date, outcome text, items jsonb, error text)
  `;
}

/** The latest stored fetch of each station-day: this run's, or an earlier run's payload that collect chose to reuse. */
export async function latestAsosItems(tx: Sql, c: { unit: number; start: string; end: string }): Promise<Stored<AsosStored>[]> {
  const latest = await tx<{ partition: string; stn_id: number; outcome: Stored<AsosStored>["outcome"]; items: AsosRawItem[] | null; error: string | null; fallback_name: string | null }[]>`
    select distinct on (r.partition) r.partition, r.stn_id, r.outcome, r.items, r.error, s.station_name as fallback_name
    from raw.asos_items r
    left join public.asos_stations s on s.stn_id = r.stn_id
    where r.stn_id = ${c.unit} and r.ymd between ${c.start} and ${c.end}
    order by r.partition, r.id desc
  `;
  return latest.map((l) => ({
    partition: l.partition,
    outcome: l.outcome,
    error: l.error,
    payload: l.items ? { stnId: l.stn_id, items: l.items, fallbackName: l.fallback_name } : null,
  }));
}
