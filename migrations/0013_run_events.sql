-- Runs you can list, follow, cancel and trust (issue #19): `cancelled` is a normal end state
-- (it was `stopped`), a running run carries a heartbeat and the address of its engine (host, pid)
-- so a run whose engine is gone can be told and closed, a cancel request from another process,
-- and an event log per run (as Dagster's): run and step started/finished, partitions, rows,
-- retries, warnings, errors with their reason.
alter table ops.runs drop constraint if exists runs_status_check;
update ops.runs set status = 'cancelled' where status = 'stopped';
alter table ops.runs add constraint runs_status_check
  check (status in ('running', 'success', 'partial', 'failed', 'cancelled'));

alter table ops.runs add column if not exists heartbeat_at timestamptz;
alter table ops.runs add column if not exists engine_host text;
alter table ops.runs add column if not exists engine_pid integer;
alter table ops.runs add column if not exists cancel_requested_at timestamptz;

-- `pvpipe runs` lists the newest first; the reaper looks only at running ones.
create index if not exists runs_started on ops.runs (started_at desc);
create index if not exists runs_running on ops.runs (started_at) where status = 'running';

create table if not exists ops.run_events (
  id        bigserial primary key,
  run_id    text not null,
  at        timestamptz not null default clock_timestamp(),
  level     text not null check (level in ('debug', 'info', 'warn', 'error')),
  -- run_started, run_finished, step_started, step_finished, step_retry, step_failed, plan,
  -- cancel_requested, engine_lost, warning
  kind      text not null,
  step      text,
  iteration integer,
  message   text not null,
  data      jsonb
);
-- Following a run reads its events after the last id seen.
create index if not exists run_events_run on ops.run_events (run_id, id);
