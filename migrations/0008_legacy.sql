-- `pvpipe import-legacy` (issue #11): where a materialization came from, and run-scoped staging
-- for rows read from the earlier Python pipeline's tables and CSV archive.

-- source: 'fetch' = the step fetched the partition from its source (the default), 'legacy' = the
-- rows were imported from the earlier pipeline by `pvpipe import-legacy`, whose run ids start with
-- 'legacy-'. Set by triggers in the statement that records the materialization, so the ingest SQL
-- shared with the fetching flows needs no parameter for it; a later fetch of the partition sets it
-- back to 'fetch'. The WHEN conditions keep ordinary runs free of any per-row function call.
alter table ops.materializations add column if not exists source text not null default 'fetch';
alter table ops.asset_partitions add column if not exists source text not null default 'fetch';

create or replace function ops.materialization_source() returns trigger language plpgsql as $$
begin
  new.source := case when new.run_id like 'legacy-%' then 'legacy' else 'fetch' end;
  return new;
end
$$;

drop trigger if exists materializations_source on ops.materializations;
create trigger materializations_source before insert on ops.materializations
  for each row when (new.run_id like 'legacy-%') execute function ops.materialization_source();
drop trigger if exists asset_partitions_source on ops.asset_partitions;
create trigger asset_partitions_source before insert on ops.asset_partitions
  for each row when (new.run_id like 'legacy-%') execute function ops.materialization_source();
drop trigger if exists asset_partitions_source_update on ops.asset_partitions;
create trigger asset_partitions_source_update before update of run_id on ops.asset_partitions
  for each row when (new.run_id like 'legacy-%' or old.source <> 'fetch') execute function ops.materialization_source();

-- Legacy rows after the per-row corrections (hour convention, identity), before de-duplication.
-- origin: which legacy table or file family the row came from; ref: its id or line (a higher ref
-- of the same origin is the later write); shifted: the stored timestamp was corrected.
create unlogged table if not exists stage.legacy_kospo (
  run_id      text not null,
  origin      text not null,                -- db | bulk_csv | processed_csv
  ref         bigint not null,
  gencd       text not null,
  hogi        integer not null,
  plant_name  text,
  datetime    timestamptz not null,         -- interval start
  shifted     boolean not null,
  generation  double precision,
  daily_total double precision,
  daily_avg   double precision,
  daily_max   double precision,
  daily_min   double precision
);
create index if not exists legacy_kospo_run on stage.legacy_kospo (run_id, gencd, hogi, datetime);

create unlogged table if not exists stage.legacy_koen (
  run_id      text not null,
  origin      text not null,                -- db | koen_csv
  ref         bigint not null,
  legacy_name text not null,                -- the name as the legacy source wrote it
  plant_name  text not null,                -- 발전구분
  hogi        integer not null,
  datetime    timestamptz not null,         -- interval start = day + (hour − 1) h
  hour        smallint not null,
  shifted     boolean not null,
  generation  double precision,
  daily_total double precision,
  daily_avg   double precision,
  daily_max   double precision,
  daily_min   double precision
);
create index if not exists legacy_koen_run on stage.legacy_koen (run_id, plant_name, hogi, datetime);

create unlogged table if not exists stage.legacy_asos (
  run_id       text not null,
  origin       text not null,               -- db | csv | csv_merged
  ref          bigint not null,
  stn_id       integer not null,
  station_name text,
  datetime     timestamptz not null,        -- tm (observation time, KST)
  shifted      boolean not null default false, -- never: tm is a wall-clock time
  ta           double precision,
  hm           double precision,
  icsr         double precision
);
create index if not exists legacy_asos_run on stage.legacy_asos (run_id, stn_id, datetime);
