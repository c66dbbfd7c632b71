-- One clock (f/lib/time/clock.ts): the database answers "what time is it" the way the engine does.
-- ops.clock_now() is now() shifted by the session's pvpipe.clock_offset, which the engine sets on
-- every connection when its clock is pinned (PVPIPE_NOW; tests pin it) and nobody sets otherwise,
-- so in production it is exactly now(). Event timestamps and the views' calendar questions
-- ("yesterday in KST", "the last complete month", "hours since") use it; audit columns
-- (fetched_at, updated_at) keep now().

create or replace function ops.clock_now() returns timestamptz
language sql stable parallel safe as $$
  select now() + coalesce(nullif(current_setting('pvpipe.clock_offset', true), '')::interval, interval '0')
$$;
-- Views call it as their reader (pv_grafana): executable by everyone, as functions are by default.
grant execute on function ops.clock_now() to public;

alter table ops.runs alter column started_at set default ops.clock_now();
alter table ops.materializations alter column started_at set default ops.clock_now();
alter table ops.materializations alter column finished_at set default ops.clock_now();
alter table ops.check_results alter column checked_at set default ops.clock_now();

-- The views of 0007 that ask the clock, now asking ops.clock_now().
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
         when exists (
           select 1 from ops.asset_partitions up
           where up.asset = any(e.deps) and up.partition = e.partition
             and up.materialized_at > ap.materialized_at
         ) then 'stale'
         else 'materialized'
       end as status,
       coalesce(ap.status = 'empty', false) as empty,
       ap.row_count,
       ap.materialized_at,
       ap.attempted_at
from expected e
left join ops.asset_partitions ap on ap.asset = e.asset and ap.partition = e.partition;

create or replace view reporting.flow_last_runs as
select r.flow,
       max(r.started_at) as last_run_at,
       (array_agg(r.status order by r.started_at desc))[1] as last_status,
       max(r.finished_at) filter (where r.status = 'success') as last_success_at,
       extract(epoch from ops.clock_now() - max(r.finished_at) filter (where r.status = 'success'))::float8 / 3600 as hours_since_success,
       count(*) filter (where r.started_at > ops.clock_now() - interval '7 days')::int as runs_7d,
       count(*) filter (where r.started_at > ops.clock_now() - interval '7 days' and r.status in ('failed', 'partial'))::int as failed_7d
from ops.runs r
group by r.flow;

create or replace view reporting.asset_freshness as
with s as (
  select a.asset, a.description, a.time_kind,
         max(ap.materialized_at) as last_materialized_at,
         max(ap.attempted_at) as last_attempted_at,
         max(ap.pdate) filter (where ap.status = 'success' and ap.row_count > 0) as last_data_partition
  from ops.asset_catalog a
  left join ops.asset_partitions ap on ap.asset = a.asset
  group by a.asset, a.description, a.time_kind
)
select s.asset, s.description, s.last_materialized_at, s.last_attempted_at,
       case when s.time_kind = 'monthly' then (s.last_data_partition + interval '1 month' - interval '1 day')::date
            else s.last_data_partition end as data_through,
       extract(epoch from ops.clock_now() - s.last_materialized_at)::float8 / 3600 as lag_hours,
       (ops.clock_now() at time zone 'Asia/Seoul')::date
         - case when s.time_kind = 'monthly' then (s.last_data_partition + interval '1 month' - interval '1 day')::date
                else s.last_data_partition end as data_lag_days
from s;
