// stage.kospo_hourly → nambu_generation: one set-based upsert per chunk that skips rows whose
// measured values did not change, the chunk's materializations, and clearing its stage rows,
// all in one transaction.
import { kospoHourly } from "../../assets/catalog.ts";
import type { Sql } from "../../db/resource.ts";
import { lockPartitions } from "../../store/partition_locks.ts";
import { recordMaterializations, type MaterializationStatus } from "../../store/record_materializations.ts";

export interface IngestResult {
  partitions: number;
  inserted: number;
  updated: number;
  unchanged: number;
  success: number;
  empty: number;
  failed: number;
}

export async function ingestKospoChunk(sql: Sql, runId: string, partitions: string[]): Promise<IngestResult> {
  return sql.begin(async (tx0) => {
    const tx = tx0 as unknown as Sql;
    await lockPartitions(tx, kospoHourly.key, partitions);
    const outcomes = await tx<{ partition: string; status: MaterializationStatus; error: string | null }[]>`
      select partition, status, error from stage.partition_outcomes
      where run_id = ${runId} and asset = ${kospoHourly.key} and partition = any(${partitions}::text[])
    `;
    const [w] = await tx<{ staged: number; inserted: number; updated: number }[]>`
      with src as (
        select distinct on (gencd, hogi, datetime) *
        from stage.kospo_hourly
        where run_id = ${runId} and partition = any(${partitions}::text[])
        order by gencd, hogi, datetime
      ), up as (
        insert into public.nambu_generation as g
          (datetime, gencd, hogi, plant_name, generation, daily_total, daily_avg, daily_max, daily_min,
           generation_filled, fill_method, run_id, updated_at)
        select datetime, gencd, hogi, plant_name, generation, daily_total, daily_avg, daily_max, daily_min,
               generation, case when generation is null then 'none' else 'measured' end, ${runId}, now()
        from src
        on conflict (gencd, hogi, datetime) do update set
          plant_name        = coalesce(excluded.plant_name, g.plant_name),
          -- a later fetch never erases a measured value with NULL
          generation        = coalesce(excluded.generation, g.generation),
          daily_total       = coalesce(excluded.daily_total, g.daily_total),
          daily_avg         = coalesce(excluded.daily_avg, g.daily_avg),
          daily_max         = coalesce(excluded.daily_max, g.daily_max),
          daily_min         = coalesce(excluded.daily_min, g.daily_min),
          generation_filled = coalesce(excluded.generation, g.generation, g.generation_filled),
          fill_method       = case when coalesce(excluded.generation, g.generation) is not null then 'measured'
                                   else g.fill_method end,
          run_id            = excluded.run_id,
          updated_at        = now()
        where (coalesce(excluded.plant_name, g.plant_name), coalesce(excluded.generation, g.generation),
               coalesce(excluded.daily_total, g.daily_total), coalesce(excluded.daily_avg, g.daily_avg),
               coalesce(excluded.daily_max, g.daily_max), coalesce(excluded.daily_min, g.daily_min))
          is distinct from (g.plant_name, g.generation, g.daily_total, g.daily_avg, g.daily_max, g.daily_min)
        returning (xmax = 0) as inserted
      )
      select (select count(*) from src)::int as staged,
             count(*) filter (where inserted)::int as inserted,
             count(*) filter (where not inserted)::int as updated
      from up
    `;
    // Data version: a hash of the values now served for the partition (not of what was staged).
    const versions = await tx<{ partition: string; rows: number; version: string }[]>`
      select s.partition, count(*)::int as rows,
             left(md5(string_agg(to_char(g.datetime, 'YYYY-MM-DD"T"HH24') || '=' || coalesce(g.generation::text, '-'),
                                 ',' order by g.datetime)), 16) as version
      from (select distinct partition, gencd, hogi, datetime from stage.kospo_hourly
            where run_id = ${runId} and partition = any(${partitions}::text[])) s
      join public.nambu_generation g using (gencd, hogi, datetime)
      group by s.partition
    `;
    const byPartition = new Map(versions.map((v) => [v.partition, v]));
    await recordMaterializations(
      tx,
      runId,
      outcomes.map((o) => {
        const v = byPartition.get(o.partition);
        const status: MaterializationStatus = o.status === "success" && !v ? "empty" : o.status;
        return {
          asset: kospoHourly.key,
          partition: o.partition,
          status,
          rowCount: v?.rows ?? 0,
          dataVersion: v?.version ?? null,
          codeVersion: kospoHourly.codeVersion,
          error: o.error,
        };
      }),
    );
    await tx`delete from stage.kospo_hourly where run_id = ${runId} and partition = any(${partitions}::text[])`;
    await tx`delete from stage.partition_outcomes where run_id = ${runId} and asset = ${kospoHourly.key} and partition = any(${partitions}::text[])`;
    const n = (s: string) => outcomes.filter((o) => o.status === s).length;
    return {
      partitions: outcomes.length,
      inserted: w?.inserted ?? 0,
      updated: w?.updated ?? 0,
      unchanged: (w?.staged ?? 0) - (w?.inserted ?? 0) - (w?.updated ?? 0),
      success: n("success"),
      empty: n("empty"),
      failed: n("failed"),
    };
  }) as Promise<IngestResult>;
}
