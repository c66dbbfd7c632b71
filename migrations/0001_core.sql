-- Core schemas and the asset store (runs, materializations, latest partition state, check results).
create schema if not exists raw;
create schema if not exists stage;
create schema if not exists ops;

create table if not exists ops.runs (
  run_id      text primary key,
  flow        text not null,
  engine      text not null default 'local',
  status      text not null default 'running'
              check (status in ('running', 'success', 'partial', 'failed', 'stopped')),
  inputs      jsonb not null default '{}'::jsonb,
  started_at  timestamptz not null default now(),
  finished_at timestamptz,
  summary     jsonb,
  error       text
);
create index if not exists runs_flow_started on ops.runs (flow, started_at desc);

-- One row per (asset, partition, run): the event log.
create table if not exists ops.materializations (
  id           bigserial primary key,
  asset        text not null,
  partition    text not null,
  run_id       text not null,
  status       text not null check (status in ('success', 'empty', 'failed')),
  row_count    integer not null default 0,
  data_version text,
  code_version text not null,
  started_at   timestamptz not null default now(),
  finished_at  timestamptz not null default now(),
  error        text
);
create index if not exists materializations_asset_partition on ops.materializations (asset, partition, id desc);
create index if not exists materializations_run on ops.materializations (run_id);

-- Latest state per partition, maintained in the same transaction as the event log, so status
-- and planning are one indexed join instead of a scan of the whole history.
create table if not exists ops.asset_partitions (
  asset           text not null,
  partition       text not null,
  pdate           date,          -- time dimension (day, or first day of the month), null if none
  pdim            text,          -- the other dimensions joined with '|', null if none
  status          text not null check (status in ('success', 'empty', 'failed')),
  run_id          text not null,
  row_count       integer not null default 0,
  data_version    text,
  code_version    text not null,
  materialized_at timestamptz,   -- last success/empty; kept when a later attempt fails
  attempted_at    timestamptz not null,
  error           text,
  primary key (asset, partition)
);
create index if not exists asset_partitions_pdate on ops.asset_partitions (asset, pdate);

create table if not exists ops.check_results (
  id         bigserial primary key,
  asset      text not null,
  partition  text not null,
  check_name text not null,
  passed     boolean not null,
  severity   text not null check (severity in ('warn', 'error')),
  value      double precision,
  message    text not null,
  run_id     text,
  checked_at timestamptz not null default now()
);
create index if not exists check_results_asset on ops.check_results (asset, check_name, partition, checked_at desc);

-- Per-run outcome of each partition between merge and ingest (run-scoped, cleared by ingest).
create table if not exists stage.partition_outcomes (
  run_id    text not null,
  asset     text not null,
  partition text not null,
  status    text not null check (status in ('success', 'empty', 'failed')),
  error     text,
  primary key (run_id, asset, partition)
);
