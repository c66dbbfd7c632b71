-- Quality v2 (issue #17): asset checks store their failures with figures plus one evaluation row per
-- partition and check (how many subjects it judged and how many passed), not a row per passing
-- subject-day; a failure is current until a later evaluation of its partition and check covers its
-- unit. Grafana lists every failing unit-day (KOEN months included) and sees freshness per cadence.

-- One row per (partition, check) each time a check runs. `units`: the units the run judged when it
-- was limited to some (a KOEN month re-checked for one plant); null = every unit of the partition.
-- Ids come from the results' sequence, so "later" means the same thing for both tables.
create table if not exists ops.check_evaluations (
  id         bigint primary key default nextval('ops.check_results_id_seq'),
  asset      text not null,
  partition  text not null,
  check_name text not null,
  severity   text not null check (severity in ('warn', 'error')),
  blocking   boolean not null default false,
  units      text[],
  subjects   integer not null,            -- plant-days / station-days judged (1 for freshness)
  passed     integer not null,
  day_from   date,                        -- the subjects' first and last day
  day_to     date,
  run_id     text,
  checked_at timestamptz not null default ops.clock_now()
);
-- The one secondary index (every chunk inserts a row per partition and check, so each index costs):
-- "is this failure still current?" (the newest evaluation of its partition and check), the run
-- report (a run's evaluations of the partitions its failures are in) and `pvpipe status` (a window
-- of days is a range of partition keys, which start with their day or month).
create index if not exists check_evaluations_partition on ops.check_evaluations (asset, partition, check_name, id desc);

-- Failures (and the one freshness result per evaluation) point at their evaluation. Rows written
-- before this migration, or by other writers (KOEN's new_plant_unit), have none.
alter table ops.check_results add column if not exists evaluation_id bigint references ops.check_evaluations (id) on delete cascade;
create index if not exists check_results_evaluation on ops.check_results (evaluation_id) where evaluation_id is not null;
-- The subject of a result (asset, partition, check, unit, day), newest first: supersession by a newer row.
create index if not exists check_results_subject on ops.check_results (asset, partition, check_name, unit, day, checked_at desc, id desc);

-- The current results: not superseded by a newer result of the same subject, nor by a newer
-- evaluation of the same partition and check that covered the subject's unit. Nothing else is
-- collapsed: every failing plant-day of a KOEN month stays a row of its own.
create or replace view ops.check_results_current as
select c.*
from ops.check_results c
where not exists (
    select 1 from ops.check_results n
    where n.asset = c.asset and n.partition = c.partition and n.check_name = c.check_name
      and n.unit is not distinct from c.unit and n.day is not distinct from c.day
      and (n.checked_at, n.id) > (c.checked_at, c.id))
  and not exists (
    select 1 from ops.check_evaluations e
    where e.asset = c.asset and e.partition = c.partition and e.check_name = c.check_name
      and e.id > coalesce(c.evaluation_id, c.id)
      and (e.units is null or c.unit = any(e.units)));

-- The evaluations that are still current (a later one covering the same units replaces them).
create or replace view ops.check_evaluations_current as
select e.*
from ops.check_evaluations e
where not exists (
  select 1 from ops.check_evaluations n
  where n.asset = e.asset and n.partition = e.partition and n.check_name = e.check_name and n.id > e.id
    and (n.units is null or (e.units is not null and e.units <@ n.units)));

-- Grafana's view of them: the same columns as before (0007), one row per current result.
create or replace view reporting.check_results_latest as
select c.asset, c.partition, c.day, c.day::timestamp at time zone 'Asia/Seoul' as day_start, c.unit,
       c.check_name, c.passed, c.severity, c.blocking, c.value, c.message, c.run_id, c.checked_at
from ops.check_results_current c;

create or replace view reporting.check_failures as
select * from reporting.check_results_latest where not passed;

-- Per check and partition: subjects judged and passed by the current evaluations.
create or replace view reporting.check_summaries as
select e.asset, e.partition, e.check_name, e.severity, e.blocking, e.units, e.subjects, e.passed,
       e.subjects - e.passed as failed, e.day_from, e.day_to,
       e.day_from::timestamp at time zone 'Asia/Seoul' as day_start,
       (e.day_to + 1)::timestamp at time zone 'Asia/Seoul' as period_end,
       e.run_id, e.checked_at
from ops.check_evaluations_current e;

-- The freshness rule each asset declares (f/lib/assets/catalog.ts), written by ensureReady:
-- {"kind":"daily","deadlineHourKst":10} or {"kind":"monthly","deadlineDay":11,"finalFromDay":10}.
alter table ops.asset_catalog add column if not exists freshness jsonb;

-- Freshness per cadence. `target` is the newest partition the source can have published
-- (yesterday; the previous month), `due` the newest whose deadline has passed. A monthly partition
-- materialized before its month is final (KOEN: the 10th of the next month) is `partial`: loaded,
-- not missing, and not late before its deadline. hours_late is 0 unless something due is missing.
create or replace view reporting.asset_freshness as
with a as (
  select c.asset, c.description, c.time_kind, c.dimension, c.freshness,
         ops.clock_now() at time zone 'Asia/Seoul' as now_kst,
         case c.time_kind when 'monthly' then interval '1 month' else interval '1 day' end as period,
         -- A partition's deadline, from its first day: daily D by D+1 hh:00; monthly M by M+1 + (day − 1).
         case c.time_kind
           when 'monthly' then interval '1 month' + make_interval(days => coalesce((c.freshness ->> 'deadlineDay')::int, 11) - 1)
           else interval '1 day' + make_interval(hours => coalesce((c.freshness ->> 'deadlineHourKst')::int, 10)) end as deadline_after
  from ops.asset_catalog c
  where c.time_kind is not null
), t as (
  select a.*,
         case a.time_kind when 'monthly' then (date_trunc('month', a.now_kst) - interval '1 month')::date
              else a.now_kst::date - 1 end as target
  from a
), t2 as (
  -- The newest partition whose deadline has passed: the target, or the one before it.
  select t.*, case when t.target + t.deadline_after <= t.now_kst then t.target else (t.target - t.period)::date end as due
  from t
), s as (
  select t2.*,
         (select max(ap.materialized_at) from ops.asset_partitions ap where ap.asset = t2.asset) as last_materialized_at,
         (select max(ap.attempted_at) from ops.asset_partitions ap where ap.asset = t2.asset) as last_attempted_at,
         (select max(ap.pdate) from ops.asset_partitions ap
          where ap.asset = t2.asset and ap.status = 'success' and ap.row_count > 0) as last_data_partition,
         (select max(ap.pdate) from ops.asset_partitions ap
          where ap.asset = t2.asset and ap.status in ('success', 'empty') and ap.pdate <= t2.target) as present_through,
         tk.expected as target_expected, tk.present as target_present, tk.loaded_at as target_loaded_at,
         dk.expected as due_expected, dk.present as due_present
  from t2
  cross join lateral (
    -- Partitions expected at a key (one per dimension key, or one) and those materialized (success or empty).
    select e.n as expected, p.n as present, p.loaded_at
    from (select case when t2.dimension is null then 1 else count(*) end::int as n from reporting.dimension_keys k
          where k.dimension = t2.dimension and (k.pfrom is null or k.pfrom <= t2.target)) e,
         (select count(*)::int as n, min(ap.materialized_at) as loaded_at from ops.asset_partitions ap
          where ap.asset = t2.asset and ap.pdate = t2.target and ap.status in ('success', 'empty')) p
  ) tk
  cross join lateral (
    select e.n as expected, p.n as present
    from (select case when t2.dimension is null then 1 else count(*) end::int as n from reporting.dimension_keys k
          where k.dimension = t2.dimension and (k.pfrom is null or k.pfrom <= t2.due)) e,
         (select count(*)::int as n from ops.asset_partitions ap
          where ap.asset = t2.asset and ap.pdate = t2.due and ap.status in ('success', 'empty')) p
  ) dk
), f as (
  select s.*,
         case when s.time_kind = 'monthly' then (s.last_data_partition + interval '1 month' - interval '1 day')::date
              else s.last_data_partition end as data_through,
         -- Not late while the target, or the newest partition due, is complete; otherwise late since the
         -- deadline of the first partition after the newest one present (older gaps are completeness,
         -- not freshness: `pvpipe status` shows them).
         case
           when s.target_present >= s.target_expected or s.due_present >= s.due_expected then null
           when s.present_through is null or s.present_through >= s.due then (s.due + s.deadline_after) at time zone 'Asia/Seoul'
           else ((s.present_through + s.period) + s.deadline_after) at time zone 'Asia/Seoul'
         end as late_since
  from s
)
select f.asset, f.description, f.last_materialized_at, f.last_attempted_at, f.data_through,
       extract(epoch from ops.clock_now() - f.last_materialized_at)::float8 / 3600 as lag_hours,
       f.now_kst::date - f.data_through as data_lag_days,
       f.time_kind as cadence,
       f.target as expected_partition,
       case
         when f.target_present >= f.target_expected then
           case when f.time_kind = 'monthly' and f.freshness ->> 'finalFromDay' is not null
                     and f.target_loaded_at < (f.target + interval '1 month' + make_interval(days => (f.freshness ->> 'finalFromDay')::int - 1)) at time zone 'Asia/Seoul'
                then 'partial (final after the ' || (f.freshness ->> 'finalFromDay') || 'th)'
                else 'fresh' end
         when f.late_since is null then 'not late yet'
         else 'late'
       end as state,
       coalesce(greatest(0, extract(epoch from ops.clock_now() - f.late_since)::float8 / 3600), 0) as hours_late
from f
union all
-- Assets without a time dimension have no cadence.
select c.asset, c.description, null, null, null, null, null, null, null, 'no cadence', 0
from ops.asset_catalog c where c.time_kind is null;

-- Hours whose values count in totals (DOMAIN §5.4): not a unit graded 전면무효; not an hour before
-- the unit's hourly_valid_from; not a unit graded 시간별무효 without one. excluded_reason says why.
create or replace view reporting.pv_generation_hourly as
select 'kospo'::text as operator, 'kospo:' || g.gencd || '-' || g.hogi as plant_id, g.datetime,
       g.generation, g.generation_filled, g.fill_method,
       x.reason is null as usable, x.reason as excluded_reason
from public.nambu_generation g
left join public.nambu_plants p on p.gencd = g.gencd and p.hogi = g.hogi
cross join lateral (select case
    when p.data_quality = '전면무효' then '전면무효'
    when p.hourly_valid_from is not null then
      case when g.datetime < p.hourly_valid_from::timestamp at time zone 'Asia/Seoul'
           then '시간별무효 before ' || to_char(p.hourly_valid_from, 'YYYY-MM-DD') end
    when p.data_quality = '시간별무효' then '시간별무효'
  end as reason) x
union all
select 'koen'::text, 'koen:' || g.plant_name || '-' || g.hogi, g.datetime,
       g.generation, g.generation_filled, g.fill_method,
       x.reason is null, x.reason
from public.namdong_generation g
left join public.namdong_plants p on p.plant_name = g.plant_name and p.hogi = g.hogi
cross join lateral (select case
    when p.data_quality = '전면무효' then '전면무효'
    when p.hourly_valid_from is not null then
      case when g.datetime < p.hourly_valid_from::timestamp at time zone 'Asia/Seoul'
           then '시간별무효 before ' || to_char(p.hourly_valid_from, 'YYYY-MM-DD') end
    when p.data_quality = '시간별무효' then '시간별무효'
  end as reason) x;

-- The reader sees the new view like the others (default privileges cover it when the same role
-- migrates; explicit for a database whose reporting views were created by another role).
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'pv_grafana') then
    grant select on reporting.check_summaries to pv_grafana;
  end if;
exception when insufficient_privilege then
  raise warning 'pvpipe: could not grant reporting.check_summaries to pv_grafana (%)', sqlerrm;
end
$$;
