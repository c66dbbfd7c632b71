-- Grafana (issue #7): the asset catalog in the database, the `reporting` views the dashboards read,
-- and the read-only role pv_grafana they connect as.
--
-- pv_grafana may SELECT the serving tables and views (schema public) and the reporting views,
-- nothing else: no raw, stage or ops (the asset store is reached only through the reporting views,
-- which expose the columns the dashboards need), no writes. It is created NOLOGIN; the deployment
-- gives it a password (ALTER ROLE pv_grafana LOGIN PASSWORD …, docs/GRAFANA.md). Roles are
-- cluster-wide, so creating it tolerates another database (or a concurrent migration) having done so.
--
-- Views here compute in SQL only (no functions), so they run with their owner's rights on ops.

-- The asset definitions (f/lib/assets/catalog.ts) as rows, written by ensureReady
-- (f/lib/store/asset_catalog.ts), so SQL can tell "stale" (code version changed) and which
-- partitions are expected without the TypeScript catalog.
create table if not exists ops.asset_catalog (
  asset        text primary key,
  description  text not null,
  deps         text[] not null default '{}',
  code_version text not null,
  time_kind    text check (time_kind in ('daily', 'monthly')),  -- null: no time dimension
  time_start   date,
  dimension    text,   -- the one dynamic key dimension (reporting.dimension_keys), null if none
  table_name   text,
  step         text not null,
  synced_at    timestamptz not null default now()
);

create schema if not exists reporting;

-- Keys of the dynamic partition dimensions: the same sets as the resolvers of
-- f/lib/assets/dimensions.ts (kospoDims / asosDims without filters). A new dynamic dimension needs
-- a branch here (tests/grafana/panels.test.ts fails for an asset without expected partitions).
create or replace view reporting.dimension_keys as
select 'kospo_unit'::text as dimension, p.gencd || '-' || p.hogi as pdim, p.first_date as pfrom
from public.nambu_plants p
where p.latitude is not null
union all
select distinct 'asos_station'::text, v.s::text, null::date
from public.plant_station ps
cross join lateral (values (ps.stn_id), (ps.solar_stn_id)) v(s)
where v.s is not null;

-- The asset list (dashboard variable `asset`).
create or replace view reporting.assets as
select asset, description, deps, code_version, time_kind, time_start, dimension, table_name
from ops.asset_catalog;

-- Every expected partition from the asset's start to the last one its source can have published
-- (yesterday KST, or the last complete month) with its status, exactly as
-- f/lib/store/partition_states.ts computes it: missing (never attempted), failed (latest attempt
-- failed), stale (code version changed, or an upstream partition was materialized after it),
-- materialized (success or empty). Filter on day / day_start: the filter reaches the calendar.
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
      when 'monthly' then date_trunc('month', (now() at time zone 'Asia/Seoul')::date::timestamp) - interval '1 month'
      else (now() at time zone 'Asia/Seoul')::date::timestamp - interval '1 day' end,
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

-- Partitions by status per asset and day (a monthly partition is one row on its first day;
-- period_end says which span it covers: select rows with day_start <= to and period_end > from).
create or replace view reporting.partition_status_daily as
select asset, day, day_start, period_end, status,
       count(*)::int as partitions,
       count(*) filter (where empty)::int as empty_partitions
from reporting.partition_status
group by asset, day, day_start, period_end, status;

-- Partitions whose latest attempt failed, with the error the step recorded (errors never carry
-- secrets: keys are replaced by *** before anything is stored).
create or replace view reporting.partition_failures as
select ap.asset, ap.partition, ap.pdate as day, ap.pdate::timestamp at time zone 'Asia/Seoul' as day_start,
       (ap.pdate + case a.time_kind when 'monthly' then interval '1 month' else interval '1 day' end)::timestamp
         at time zone 'Asia/Seoul' as period_end,
       ap.pdim, ap.run_id, ap.attempted_at, ap.materialized_at, ap.error
from ops.asset_partitions ap
left join ops.asset_catalog a on a.asset = ap.asset
where ap.status = 'failed';

-- The latest result of every asset check per (asset, partition, check, unit).
create or replace view reporting.check_results_latest as
select c.asset, c.partition, c.day, c.day::timestamp at time zone 'Asia/Seoul' as day_start, c.unit,
       c.check_name, c.passed, c.severity, c.blocking, c.value, c.message, c.run_id, c.checked_at
from ops.check_results c
where not exists (
  select 1 from ops.check_results n
  where n.asset = c.asset and n.check_name = c.check_name and n.partition = c.partition
    and n.unit is not distinct from c.unit and n.id > c.id
);

create or replace view reporting.check_failures as
select * from reporting.check_results_latest where not passed;

-- Flow runs (no inputs, summaries or plans). started_epoch for $__unixEpochFilter.
create or replace view reporting.flow_runs as
select r.run_id, r.flow, r.engine, r.status, r.started_at, r.finished_at,
       extract(epoch from r.started_at)::bigint as started_epoch,
       extract(epoch from r.finished_at - r.started_at)::float8 as duration_s,
       r.error
from ops.runs r;

-- Per flow: the last run, its status, and the last successful one.
create or replace view reporting.flow_last_runs as
select r.flow,
       max(r.started_at) as last_run_at,
       (array_agg(r.status order by r.started_at desc))[1] as last_status,
       max(r.finished_at) filter (where r.status = 'success') as last_success_at,
       extract(epoch from now() - max(r.finished_at) filter (where r.status = 'success'))::float8 / 3600 as hours_since_success,
       count(*) filter (where r.started_at > now() - interval '7 days')::int as runs_7d,
       count(*) filter (where r.started_at > now() - interval '7 days' and r.status in ('failed', 'partial'))::int as failed_7d
from ops.runs r
group by r.flow;

-- Freshness per asset: when it was last materialized, and the last day its data covers.
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
       extract(epoch from now() - s.last_materialized_at)::float8 / 3600 as lag_hours,
       (now() at time zone 'Asia/Seoul')::date
         - case when s.time_kind = 'monthly' then (s.last_data_partition + interval '1 month' - interval '1 day')::date
                else s.last_data_partition end as data_lag_days
from s;

-- Every PV unit of every operator, one identity: plant_id = '<operator>:<code>-<hogi>'
-- (KOSPO code = gencd, KOEN code = 발전구분 as the source spells it), as in plant_station.
create or replace view reporting.pv_plants as
select 'kospo'::text as operator, 'KOSPO 남부발전'::text as operator_name,
       'kospo:' || p.gencd || '-' || p.hogi as plant_id,
       p.gencd as plant_code, p.hogi,
       regexp_replace(regexp_replace(p.plant_name, '^한국남부발전\(주\)_', ''), '\s*태양광발전실적$', '')
         || case when count(*) over (partition by p.gencd) > 1 then ' #' || p.hogi else '' end as plant_label,
       p.latitude, p.longitude, p.capacity_kw, coalesce(p.data_quality, '미검증') as data_quality, p.hourly_valid_from
from public.nambu_plants p
union all
select 'koen'::text, 'KOEN 남동발전'::text,
       'koen:' || n.plant_name || '-' || n.hogi,
       n.plant_name, n.hogi,
       coalesce(n.display_name,
                n.plant_name || case when count(*) over (partition by n.plant_name) > 1 then '_' || n.hogi else '' end),
       n.latitude, n.longitude, n.capacity_kw, coalesce(n.data_quality, '미검증'), n.hourly_valid_from
from public.namdong_plants n;

-- Hourly generation of every operator at interval start (timestamptz), measured and gap-filled.
create or replace view reporting.pv_generation_hourly as
select 'kospo'::text as operator, 'kospo:' || g.gencd || '-' || g.hogi as plant_id, g.datetime,
       g.generation, g.generation_filled, g.fill_method
from public.nambu_generation g
union all
select 'koen'::text, 'koen:' || g.plant_name || '-' || g.hogi, g.datetime,
       g.generation, g.generation_filled, g.fill_method
from public.namdong_generation g;

-- The reader role.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'pv_grafana') then
    begin
      create role pv_grafana nologin;
      comment on role pv_grafana is 'pvpipe Grafana reader: SELECT on public and reporting only';
    exception
      when duplicate_object or unique_violation then null; -- created meanwhile by another database's migration
      when insufficient_privilege then
        raise warning 'pvpipe: cannot create role pv_grafana (%); create it (CREATE ROLE pv_grafana NOLOGIN) and apply the grants of docs/GRAFANA.md', sqlerrm;
    end;
  end if;
  if exists (select 1 from pg_roles where rolname = 'pv_grafana') then
    execute format('grant connect on database %I to pv_grafana', current_database());
    grant usage on schema public, reporting to pv_grafana;
    grant select on all tables in schema public to pv_grafana;
    grant select on all tables in schema reporting to pv_grafana;
    -- Serving tables and views created later (pv_weather_hourly is recreated by ensureReady).
    alter default privileges in schema public grant select on tables to pv_grafana;
    alter default privileges in schema reporting grant select on tables to pv_grafana;
    revoke all on schema raw, stage, ops from pv_grafana;
    -- Session defaults for the reader: read-only transactions, KST, bounded queries.
    if not exists (
      select 1 from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
      where r.rolname = 'pv_grafana' and s.setdatabase = 0 and 'default_transaction_read_only=on' = any(s.setconfig)
    ) then
      begin
        alter role pv_grafana set default_transaction_read_only = on;
        alter role pv_grafana set timezone = 'Asia/Seoul';
        alter role pv_grafana set statement_timeout = '60s';
      exception when others then
        raise warning 'pvpipe: could not set session defaults of pv_grafana (%)', sqlerrm;
      end;
    end if;
  end if;
end
$$;
