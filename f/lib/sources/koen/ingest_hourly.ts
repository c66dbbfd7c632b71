// stage.koen_hourly → namdong_generation: units new to namdong_plants are added (NULL coordinates)
// and reported, then one set-based upsert per chunk that skips rows whose values did not change,
// the chunk's materializations and clearing its stage rows — all in one transaction.
import { koenHourly } from "../../assets/catalog.ts";
import type { Sql } from "../../db/resource.ts";
import { ingestChunk, type IngestResult, type PartitionVersion, type UpsertCounts } from "../../store/chunk_ingest.ts";

export type KoenIngestResult = IngestResult & { new_units: { plant_name: string; hogi: number; first_month: string }[] };

export async function ingestKoenChunk(sql: Sql, runId: string, partitions: string[]): Promise<KoenIngestResult> {
  return ingestChunk(sql, { runId, asset: koenHourly, partitions, stageTable: "stage.koen_hourly", write: async (tx) => {
    // New units: in the download but not in namdong_plants (the names passed validation at download
    // and again at merge, so these are plausible plants, not mojibake).
    const newUnits = await tx<{ plant_name: string; hogi: number; first_month: string }[]>`
      with seen as (
        select plant_name, hogi, min(partition) as first_month
        from stage.koen_hourly
        where run_id = ${runId} and partition = any(${partitions}::text[])
        group by plant_name, hogi
      ), added as (
        insert into public.namdong_plants (plant_name, hogi, discovered_run_id, discovered_at)
        select plant_name, hogi, ${runId}, now() from seen
        on conflict (plant_name, hogi) do nothing
        returning plant_name, hogi
      )
      select a.plant_name, a.hogi, s.first_month from added a join seen s using (plant_name, hogi)
      order by a.plant_name, a.hogi
    `;
    if (newUnits.length) {
      await tx`
        insert into ops.check_results (asset, partition, check_name, passed, severity, value, message, run_id)
        select ${koenHourly.key}, first_month, 'new_plant_unit', false, 'warn', null,
               'new KOEN unit ' || plant_name || ' 호기 ' || hogi || ' found in the download: added to namdong_plants without coordinates (add it to data/plants.csv)',
               ${runId}
        from jsonb_to_recordset(${tx.json(newUnits as never)}::jsonb) as t(plant_name text, hogi int, first_month text)
      `;
    }
    const [counts] = await tx<UpsertCounts[]>`
      with src as (
        select distinct on (plant_name, hogi, datetime) *
        from stage.koen_hourly
        where run_id = ${runId} and partition = any(${partitions}::text[])
        order by plant_name, hogi, datetime
      ), up as (
        insert into public.namdong_generation as g
          (datetime, plant_name, hogi, hour, generation, daily_total, daily_avg, daily_max, daily_min,
           generation_filled, fill_method, run_id, updated_at)
        select datetime, plant_name, hogi, hour, generation, daily_total, daily_avg, daily_max, daily_min,
               generation, case when generation is null then 'none' else 'measured' end, ${runId}, now()
        from src
        on conflict (plant_name, hogi, datetime) do update set
          hour              = excluded.hour,
          -- a later download never erases a measured value with NULL
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
        where (excluded.hour, coalesce(excluded.generation, g.generation),
               coalesce(excluded.daily_total, g.daily_total), coalesce(excluded.daily_avg, g.daily_avg),
               coalesce(excluded.daily_max, g.daily_max), coalesce(excluded.daily_min, g.daily_min))
          is distinct from (g.hour, g.generation, g.daily_total, g.daily_avg, g.daily_max, g.daily_min)
        returning (xmax = 0) as inserted
      )
      select (select count(*) from src)::int as staged,
             count(*) filter (where inserted)::int as inserted,
             count(*) filter (where not inserted)::int as updated
      from up
    `;
    // Data version: a hash of the values now served for the month (not of what was staged).
    const versions = await tx<PartitionVersion[]>`
      select s.partition, count(*)::int as rows,
             left(md5(string_agg(g.plant_name || '#' || g.hogi || '@' || to_char(g.datetime, 'YYYY-MM-DD"T"HH24') || '=' || coalesce(g.generation::text, '-'),
                                 ',' order by g.plant_name, g.hogi, g.datetime)), 16) as version
      from (select distinct partition, plant_name, hogi, datetime from stage.koen_hourly
            where run_id = ${runId} and partition = any(${partitions}::text[])) s
      join public.namdong_generation g using (plant_name, hogi, datetime)
      group by s.partition
    `;
    const new_units = newUnits.map((u) => ({ plant_name: u.plant_name, hogi: u.hogi, first_month: u.first_month }));
    return { counts, versions, extra: { new_units } };
  } });
}
