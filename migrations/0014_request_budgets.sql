-- Request budgets (issue #18): spend a data.go.kr key's daily quota on data, and let a backfill
-- stopped by the quota or by its budget continue by itself.

-- A budget of requests to a source. A run given --max-requests has one (budget_id = its run id); a
-- scheduled run that continues a stopped backfill has one per backfill it continues. Every HTTP
-- attempt of the run's steps first takes one request from it in one UPDATE, so concurrent steps
-- (processes, on Windmill) together stop at exactly max_requests. `stopped` tells the steps still
-- running or starting that the budget, or the key's quota, is spent.
create table if not exists ops.request_budgets (
  budget_id    text primary key,
  run_id       text not null,
  source       text not null,
  max_requests integer check (max_requests > 0),   -- null: until the gateway's quota (reason 22)
  used         integer not null default 0,
  stopped      text check (stopped in ('budget', 'quota')),
  continues    text,                                -- the backfill run this budget continues
  covers_rest  boolean not null default false,      -- the continuation planned all that was left of it
  partitions   integer not null default 0,          -- partitions the continuation planned
  created_at   timestamptz not null default ops.clock_now()
);
create index if not exists request_budgets_run on ops.request_budgets (run_id);

-- Backfills stopped by the quota or by their budget, until a scheduled run of their source has
-- continued them to the end. A stop or a continuation on day D (KST) spends that day's quota or
-- share: the first scheduled run of a later day continues it, after its own day, within max_requests.
create table if not exists ops.unfinished_backfills (
  run_id       text primary key,                    -- the backfill run that stopped
  source       text not null,
  inputs       jsonb not null,                      -- its flow inputs: range, plant, unit, stations, policy
  max_requests integer,                             -- its per-day budget; null: until the quota
  stopped_by   text not null check (stopped_by in ('budget', 'quota')),
  stopped_at   timestamptz not null,                -- the latest stop, its own or a continuation's
  continued_at timestamptz,                         -- the latest continuation planned
  finished_at  timestamptz,
  finished_by  text                                 -- the run that continued it to the end
);
create index if not exists unfinished_backfills_open on ops.unfinished_backfills (source, stopped_at) where finished_at is null;
