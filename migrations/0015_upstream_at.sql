-- Status without a join (issue #18: status over 1,000,000 partitions < 0.5 s). Each partition row
-- keeps upstream_at, the latest materialization of its upstream partitions (same key), so "stale
-- because an upstream partition is newer" is a comparison within the row. recordMaterializations
-- (f/lib/store/record_materializations.ts) maintains it in the same transaction, in both
-- directions: a partition learns its upstream's time, and its downstream partitions learn its own.

alter table ops.asset_partitions add column if not exists upstream_at timestamptz;

update ops.asset_partitions d set upstream_at = u.latest
from (
  select d2.asset, d2.partition, max(up.materialized_at) as latest
  from ops.asset_partitions d2
  join ops.asset_catalog c on c.asset = d2.asset
  join ops.asset_partitions up on up.asset = any(c.deps) and up.partition = d2.partition
  group by d2.asset, d2.partition
) u
where d.asset = u.asset and d.partition = u.partition and d.upstream_at is distinct from u.latest;

-- The Grafana view judges staleness the same way.
create or replace view reporting.partition_status as
with asset_keys as (
  select a.asset, null::text as pdim, null::date as pfrom
  from ops.asset_catalog a
  where a.dimension is null
  union all
  select a.asset, dk.pdim, dk.pfrom
  from ops.asset_catalog a
  join reporting.dimension_keys dk on dk.dimension = a.dimension
), expected as (
  select a.asset, a.code_version, a.deps, a.time_kind, d::date as pdate, ak.pdim,
         case when ak.pdim is null then to_char(d, 'YYYY-MM-DD')
              else to_char(d, 'YYYY-MM-DD') || '|' || ak.pdim end as partition
  from ops.asset_catalog a
  join asset_keys ak on ak.asset = a.asset
  cross join lateral generate_series(
    a.time_start::timestamp,
    -- The last partition a source can have published: yesterday (KST) for daily assets, the last
    -- complete month for monthly ones (the windows `npm start` and the schedules catch up).
    case a.time_kind
      when 'monthly' then date_trunc('month', (ops.clock_now() at time zone 'Asia/Seoul')::date::timestamp) - interval '1 month'
      else (ops.clock_now() at time zone 'Asia/Seoul')::date::timestamp - interval '1 day' end,
    case a.time_kind when 'monthly' then interval '1 month' else interval '1 day' end) d
  where a.time_kind is not null
    and (ak.pfrom is null or d::date >= ak.pfrom)
)
select e.asset,
       e.pdate as day,
       e.pdate::timestamp at time zone 'Asia/Seoul' as day_start,
       (e.pdate + case e.time_kind when 'monthly' then interval '1 month' else interval '1 day' end)::timestamp
         at time zone 'Asia/Seoul' as period_end,
       e.time_kind,
       e.pdim,
       e.partition,
       case
         when ap.asset is null then 'missing'
         when ap.status = 'failed' then 'failed'
         when ap.code_version <> e.code_version then 'stale'
         when ap.upstream_at > ap.materialized_at then 'stale'
         else 'materialized'
       end as status,
       coalesce(ap.status = 'empty', false) as empty,
       ap.row_count,
       ap.materialized_at,
       ap.attempted_at
from expected e
left join ops.asset_partitions ap on ap.asset = e.asset and ap.partition = e.partition;
