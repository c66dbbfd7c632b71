// stage.kospo_hourly → nambu_generation: one set-based upsert per chunk that skips rows whose
// measured values did not change, the chunk's materializations, and clearing its stage rows,
// all in one transaction (f/lib/store/chunk_ingest.ts).
import { kospoHourly } from "../../assets/catalog.ts";
import type { Sql } from "../../db/resource.ts";
import { ingestChunk, type IngestResult, type PartitionVersion, type UpsertCounts } from "../../store/chunk_ingest.ts";

export type { IngestResult };

export async function ingestKospoChunk(sql: Sql, runId: string, partitions: string[]): Promise<IngestResult> {
  return ingestChunk(sql, { runId, asset: kospoHourly, partitions, stageTable: "stage.kospo_hourly", write: async (tx) => {
    const [counts] = await tx<UpsertCounts[]>`
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
    const versions = await tx<PartitionVersion[]>`
      select s.partition, count(*)::int as rows,
             left(md5(string_agg(to_char(g.datetime, 'YYYY-MM-DD"T"HH24') || '=' || coalesce(g.generation::text, '-'),
                                 ',' order by g.datetime)), 16) as version
      from (select distinct partition, gencd, hogi, datetime from stage.kospo_hourly
            where run_id = ${runId} and partition = any(${partitions}::text[])) s
      join public.nambu_generation g using (gencd, hogi, datetime)
      group by s.partition
    `;
    return { counts, versions };
  } });
}
