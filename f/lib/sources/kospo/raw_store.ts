// raw.kospo_items: the exact item of each unit-day fetch, and the latest one of each partition
// read back for staging (with the reference name an empty ipptnm falls back to).
import type { Sql } from "../../db/resource.ts";
import type { Fetched, Stored } from "../source.ts";
import type { KospoUnit } from "./units.ts";

export interface KospoFetch {
  gencd: string;
  hogi: number;
  ymd: string;
  item: Record<string, string> | null;
}

export interface KospoStored {
  gencd: string;
  hogi: number;
  ymd: string;
  item: Record<string, string>;
  fallbackName: string | null;
}

export async function insertKospoItems(tx: Sql, runId: string, batch: Fetched<KospoFetch>[]): Promise<void> {
  const rows = batch.map((f) => ({ run_id: runId, partition: f.partition, ...f.payload, outcome: f.outcome, error: f.error }));
  await tx`
    insert into raw.kospo_items (run_id, partition, gencd, hogi, ymd, outcome, item, error)
    select run_id, partition, gencd, hogi, ymd, outcome, item, error
    from jsonb_to_recordset(${tx.json(rows)}::jsonb) as t(
      run_id text, partition text, gencd text, hogi int, ymd date, outcome text, item jsonb, error text)
  `;
}

export async function latestKospoItems(tx: Sql, c: { unit: KospoUnit; start: string; end: string }): Promise<Stored<KospoStored>[]> {
  const latest = await tx<{ partition: string; gencd: string; hogi: number; ymd: string; outcome: Stored<KospoStored>["outcome"]; item: Record<string, string> | null; error: string | null; fallback_name: string | null }[]>`
    select distinct on (r.partition) r.partition, r.gencd, r.hogi, to_char(r.ymd, 'YYYY-MM-DD') as ymd,
           r.outcome, r.item, r.error, p.plant_name as fallback_name
    from raw.kospo_items r
    left join public.nambu_plants p on p.gencd = r.gencd and p.hogi = r.hogi
    where r.gencd = ${c.unit.gencd} and r.hogi = ${c.unit.hogi}
      and r.ymd between ${c.start} and ${c.end}
    order by r.partition, r.id desc
  `;
  return latest.map((l) => ({
    partition: l.partition,
    outcome: l.outcome,
    error: l.error,
    payload: l.item ? { gencd: l.gencd, hogi: l.hogi, ymd: l.ymd, item: l.item, fallbackName: l.fallback_name } : null,
  }));
}
