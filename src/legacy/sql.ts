// The set-based part of the import, per serving table: de-duplicate the corrected legacy rows
// (stage.legacy_*), compare them with the rows already served, and either report (dry run and the
// summary) or hand them to the ingest step through its own stage table and partition outcomes.
// One statement per operation; the three tables differ only in the fragments below.
import { asosHourly, koenHourly, kospoHourly } from "../../f/lib/assets/catalog.ts";
import type { LoadedAsset } from "../../f/lib/assets/graph.ts";
import type { Sql } from "../../f/lib/db/resource.ts";

export type Prefer = "new" | "legacy";

export interface LegacyTarget {
  /** The asset the rows load into (its serving table; the legacy stage is stage.legacy_<source>). */
  asset: LoadedAsset;
  /** Unit identity columns, the same in the legacy stage and the serving table. */
  keys: string[];
  /** The unit as printed, over alias `x`. */
  unit: (x: string) => string;
  /** Which legacy source wins a duplicate key (lower first); within one source the later write (higher ref). */
  priority: string;
  /** Compared with the served row (a conflict: both present and different). */
  values: string[];
  /** Partition key over alias `d`. */
  partition: string;
  /** Hours a unit has in a complete partition, over alias `d`. */
  expected: string;
  /** INSERT of the rows to load into the ingest step's stage table, from `j` (with `$1` = run id). */
  stageInsert: string;
}

/** The corrected legacy rows of a target (stage.legacy_kospo, …). */
export const legacyStage = (t: LegacyTarget): string => `stage.legacy_${t.asset.source.name}`;

const kstDay = (x: string) => `to_char(${x}.datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD')`;

export const TARGETS: LegacyTarget[] = [
  {
    asset: kospoHourly,
    keys: ["gencd", "hogi"],
    unit: (x) => `${x}.gencd || '-' || ${x}.hogi`,
    // the raw bulk download merged again > the old table > the legacy merge's processed CSV
    priority: `case d0.origin when 'bulk_csv' then 0 when 'db' then 1 else 2 end`,
    values: ["generation"],
    partition: `${kstDay("d")} || '|' || d.gencd || '-' || d.hogi`,
    expected: "24",
    stageInsert: `
      insert into stage.kospo_hourly (run_id, partition, gencd, hogi, datetime, hour_label, plant_name,
                                      generation, daily_total, daily_avg, daily_max, daily_min)
      select $1, j.partition, j.gencd, j.hogi, j.datetime,
             extract(hour from j.datetime at time zone 'Asia/Seoul')::int + 1,
             -- a raw item's ipptnm as the live merge takes it; otherwise the code table's name, not
             -- the spec-file names the old loader wrote (DOMAIN §9.31)
             case when j.origin = 'bulk_csv' then coalesce(j.plant_name, p.plant_name) else coalesce(p.plant_name, j.plant_name) end,
             j.generation, j.daily_total, j.daily_avg, j.daily_max, j.daily_min
      from j left join public.nambu_plants p on p.gencd = j.gencd and p.hogi = j.hogi
      where $2 = 'legacy' or not j.conflict`,
  },
  {
    asset: koenHourly,
    keys: ["plant_name", "hogi"],
    unit: (x) => `${x}.plant_name || ' 호기 ' || ${x}.hogi`,
    // a downloaded CSV (it has 호기 and the summary columns) > the old table
    priority: `case d0.origin when 'koen_csv' then 0 else 1 end`,
    values: ["generation"],
    partition: `to_char(date_trunc('month', d.datetime at time zone 'Asia/Seoul'), 'YYYY-MM-DD')`,
    expected: `extract(day from date_trunc('month', d.datetime at time zone 'Asia/Seoul') + interval '1 month - 1 day')::int * 24`,
    stageInsert: `
      insert into stage.koen_hourly (run_id, partition, plant_name, hogi, datetime, hour, generation,
                                     daily_total, daily_avg, daily_max, daily_min)
      select $1, j.partition, j.plant_name, j.hogi, j.datetime, j.hour, j.generation,
             j.daily_total, j.daily_avg, j.daily_max, j.daily_min
      from j where $2 = 'legacy' or not j.conflict`,
  },
  {
    asset: asosHourly,
    keys: ["stn_id"],
    unit: (x) => `${x}.stn_id::text`,
    // the old table (loaded with COALESCE upserts) > a period file > the cumulative merged file
    priority: `case d0.origin when 'db' then 0 when 'csv' then 1 else 2 end`,
    values: ["ta", "hm", "icsr"],
    partition: `${kstDay("d")} || '|' || d.stn_id`,
    expected: "24",
    stageInsert: `
      insert into stage.asos_hourly (run_id, partition, stn_id, datetime, station_name, ta, hm, icsr)
      select $1, j.partition, j.stn_id, j.datetime, j.station_name, j.ta, j.hm, j.icsr
      from j where $2 = 'legacy' or not j.conflict`,
  },
];

/** Values closer than this are the same measurement (float32 storage of the old tables, DOMAIN §9.35). */
const TOLERANCE = 0.0005;

/** CTEs d (de-duplicated legacy rows) and j (d + partition, unit and how it compares with the served row). */
function dedupAndCompare(t: LegacyTarget): string {
  const keys = t.keys.join(", ");
  const join = [...t.keys, "datetime"].map((k) => `s.${k} = d.${k}`).join(" and ");
  const differs = t.values.map((v) => `(s.${v} is not null and d.${v} is not null and abs(s.${v} - d.${v}) > ${TOLERANCE})`).join(" or ");
  const same = t.values.map((v) => `coalesce(s.${v} is not distinct from d.${v} or abs(s.${v} - d.${v}) <= ${TOLERANCE}, false)`).join(" and ");
  const fills = t.values.map((v) => `(s.${v} is null and d.${v} is not null)`).join(" or ");
  return `
    d as (
      select distinct on (${keys}, datetime) d0.*
      from ${legacyStage(t)} d0
      where d0.run_id = $1
      order by ${keys}, datetime, ${t.priority}, d0.ref desc
    ), j as (
      select d.*, ${t.partition} as partition, ${t.unit("d")} as unit, ${t.expected} as expected,
             s.datetime is not null as present,
             s.datetime is not null and (${differs}) as conflict,
             s.datetime is not null and ${same} as identical,
             s.datetime is not null and not (${differs}) and (${fills}) as fills
      from d left join ${t.asset.table} s on ${join}
    )`;
}

export interface UnitReport {
  table: string;
  unit: string;
  /** Legacy rows placed on this unit (every source, before de-duplication). */
  read: number;
  /** Rows whose timestamp was corrected (Nambu −1 h before 2026; KOEN midnight rows). */
  shifted: number;
  /** Rows dropped because another source (or a later write) had the same key. */
  duplicates: number;
  /** Distinct hours left after de-duplication. */
  rows: number;
  first: string | null;
  last: string | null;
  /** Hours missing between the first and the last row, and the first few holes. */
  gap_hours: number;
  gap_count: number;
  gaps: string[];
  /** Already served rows: with a different value (conflict), the same value, or NULL where legacy has one. */
  conflicts: number;
  identical: number;
  fills: number;
  /** Partitions the legacy rows cover completely (recorded as materialized) or in part (left to a backfill). */
  complete: number;
  incomplete: number;
  /** Complete partitions already materialized by a fetch: not recorded again unless --prefer legacy. */
  fetched: number;
}

export async function reportTarget(tx: Sql, t: LegacyTarget, runId: string): Promise<UnitReport[]> {
  const fmt = (x: string) => `to_char((${x}) at time zone 'Asia/Seoul', 'YYYY-MM-DD HH24:MI')`;
  const rows = await tx.unsafe<UnitReport[]>(
    `with l as (
       select ${t.unit("l0")} as unit, count(*)::int as read, count(*) filter (where l0.shifted)::int as shifted
       from ${legacyStage(t)} l0 where l0.run_id = $1 group by 1
     ), ${dedupAndCompare(t)},
     js as (
       select unit, count(*)::int as rows, ${fmt("min(datetime)")} as first, ${fmt("max(datetime)")} as last,
              count(*) filter (where conflict)::int as conflicts, count(*) filter (where identical)::int as identical,
              count(*) filter (where fills)::int as fills
       from j group by unit
     ), g as (
       select unit, datetime, lead(datetime) over (partition by unit order by datetime) as next from j
     ), gaps as (
       select unit, sum(extract(epoch from next - datetime) / 3600 - 1)::int as gap_hours, count(*)::int as gap_count,
              (array_agg(${fmt("datetime + interval '1 hour'")} || '..' || ${fmt("next - interval '1 hour'")}
                         || ' (' || (extract(epoch from next - datetime) / 3600 - 1)::int || ' h)' order by datetime))[1:5] as gaps
       from g where next - datetime > interval '1 hour' group by unit
     ), pu as (
       select unit, partition, count(*) = max(expected) as complete from j group by unit, partition
     ), pp as (
       select partition, bool_and(complete) as complete from pu group by partition
     ), pc as (
       select pu.unit, count(*) filter (where pp.complete)::int as complete, count(*) filter (where not pp.complete)::int as incomplete,
              count(*) filter (where pp.complete and ap.status is not null and ap.status <> 'failed' and ap.source <> 'legacy')::int as fetched
       from pu join pp using (partition)
       left join ops.asset_partitions ap on ap.asset = $2 and ap.partition = pu.partition
       group by pu.unit
     )
     select $3::text as table, l.unit, l.read, l.shifted, l.read - coalesce(js.rows, 0) as duplicates, coalesce(js.rows, 0) as rows,
            js.first, js.last, coalesce(gaps.gap_hours, 0) as gap_hours, coalesce(gaps.gap_count, 0) as gap_count, coalesce(gaps.gaps, '{}') as gaps,
            coalesce(js.conflicts, 0) as conflicts, coalesce(js.identical, 0) as identical, coalesce(js.fills, 0) as fills,
            coalesce(pc.complete, 0) as complete, coalesce(pc.incomplete, 0) as incomplete, coalesce(pc.fetched, 0) as fetched
     from l left join js using (unit) left join gaps using (unit) left join pc using (unit)
     order by l.unit`,
    [runId, t.asset.key, t.asset.table.replace(/^public\./, "")],
  );
  return rows;
}

/**
 * Hand the de-duplicated rows to the ingest step: its stage table gets every row (a conflicting one
 * only with --prefer legacy), and the partitions the legacy rows cover completely get a `success`
 * outcome, unless a fetch already materialized them and the newer fetch wins. Returns the
 * partitions staged (ingest them all) and how many will be recorded.
 */
export async function stageTarget(tx: Sql, t: LegacyTarget, runId: string, prefer: Prefer): Promise<{ partitions: string[]; outcomes: number; rows: number }> {
  const [r] = await tx.unsafe<{ partitions: string[]; outcomes: number; rows: number }[]>(
    `with ${dedupAndCompare(t)},
     ins as (${t.stageInsert} returning partition),
     pp as (
       select partition, bool_and(complete) as complete
       from (select partition, unit, count(*) = max(expected) as complete from j group by partition, unit) x
       group by partition
     ), outs as (
       insert into stage.partition_outcomes (run_id, asset, partition, status, error)
       select $1, $3, pp.partition, 'success', null
       from pp left join ops.asset_partitions ap on ap.asset = $3 and ap.partition = pp.partition
       where pp.complete and ($2 = 'legacy' or ap.status is null or ap.status = 'failed' or ap.source = 'legacy')
       on conflict (run_id, asset, partition) do nothing
       returning partition
     )
     select coalesce((select array_agg(distinct partition order by partition) from ins), '{}') as partitions,
            (select count(*) from outs)::int as outcomes, (select count(*) from ins)::int as rows`,
    [runId, prefer, t.asset.key],
  );
  return r;
}

/** The staged legacy rows of a run are not needed once ingested. */
export async function clearLegacyStage(sql: Sql, runId: string): Promise<void> {
  for (const t of TARGETS) await sql.unsafe(`delete from ${legacyStage(t)} where run_id = $1`, [runId]);
}
