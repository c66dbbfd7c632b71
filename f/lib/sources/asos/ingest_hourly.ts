// stage.asos_hourly → weather_asos: one set-based upsert per chunk that never erases a stored value
// with NULL (a re-fetch lacking icsr keeps the stored icsr, DOMAIN §9.22) and skips rows whose values
// did not change, the chunk's `asos/hourly` materializations, and clearing its stage rows — all in
// one transaction.
import { asosHourly } from "../../assets/catalog.ts";
import type { Sql } from "../../db/resource.ts";
import { ingestChunk, type IngestResult, type PartitionVersion, type UpsertCounts } from "../../store/chunk_ingest.ts";
import { ASOS_COLUMNS, ASOS_FILLED_COLUMNS } from "./item.ts";

export type AsosIngestResult = IngestResult;

const cols = ASOS_COLUMNS;
const filled = ASOS_FILLED_COLUMNS;

/** field → 'measured' for every fillable field whose value (expression per field) is not null. */
const measuredMethods = (expr: (c: string) => string) =>
  `jsonb_strip_nulls(jsonb_build_object(${filled.map((c) => `'${c}', case when ${expr(c)} is not null then 'measured' end`).join(", ")}))`;

const UPSERT = `
  with src as (
    select distinct on (stn_id, datetime) *
    from stage.asos_hourly
    where run_id = $1 and partition = any($2::text[])
    order by stn_id, datetime
  ), up as (
    insert into public.weather_asos as g
      (datetime, stn_id, station_name, ${cols.join(", ")}, ${filled.map((c) => `${c}_filled`).join(", ")}, fill_methods, run_id, updated_at)
    select datetime, stn_id, station_name, ${cols.join(", ")}, ${filled.join(", ")}, ${measuredMethods((c) => c)}, $1, now()
    from src
    on conflict (stn_id, datetime) do update set
      station_name = coalesce(excluded.station_name, g.station_name),
      -- a later load never erases a stored value with NULL
      ${cols.map((c) => `${c} = coalesce(excluded.${c}, g.${c})`).join(",\n      ")},
      ${filled.map((c) => `${c}_filled = coalesce(excluded.${c}, g.${c}, g.${c}_filled)`).join(",\n      ")},
      fill_methods = g.fill_methods || ${measuredMethods((c) => `coalesce(excluded.${c}, g.${c})`)},
      run_id = excluded.run_id,
      updated_at = now()
    where (coalesce(excluded.station_name, g.station_name), ${cols.map((c) => `coalesce(excluded.${c}, g.${c})`).join(", ")})
      is distinct from (g.station_name, ${cols.map((c) => `g.${c}`).join(", ")})
    returning (xmax = 0) as inserted
  )
  select (select count(*) from src)::int as staged,
         count(*) filter (where inserted)::int as inserted,
         count(*) filter (where not inserted)::int as updated
  from up`;

// Data version: a hash of the values now served for each partition (not of what was staged).
const VERSIONS = `
  select s.partition, count(*)::int as rows,
         left(md5(string_agg(to_char(g.datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD"T"HH24') || '=' ||
                             row(${cols.map((c) => `g.${c}`).join(", ")})::text, ',' order by g.datetime)), 16) as version
  from (select distinct partition, stn_id, datetime from stage.asos_hourly
        where run_id = $1 and partition = any($2::text[])) s
  join public.weather_asos g using (stn_id, datetime)
  group by s.partition`;

export async function ingestAsosChunk(sql: Sql, runId: string, partitions: string[]): Promise<AsosIngestResult> {
  return ingestChunk(sql, { runId, asset: asosHourly, partitions, stageTable: "stage.asos_hourly", write: async (tx) => {
    const [counts] = (await tx.unsafe(UPSERT, [runId, partitions])) as unknown as UpsertCounts[];
    const versions = (await tx.unsafe(VERSIONS, [runId, partitions])) as unknown as PartitionVersion[];
    return { counts, versions };
  } });
}
