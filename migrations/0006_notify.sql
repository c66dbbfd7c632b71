-- Notifications (issue #8): what the plan step decided for a run (period, partitions), which the
-- run report and the Slack messages read, and every Slack delivery attempt's outcome.

-- The plan of a run, written by f/pv/plan: {source, asset, start, end, policy, partitions, chunks}.
-- Flow inputs (ops.runs.inputs) do not always carry the period (scheduled flows give lookback_days).
alter table ops.runs add column if not exists plan jsonb;

-- One row per notify_slack call that tried to send (or was skipped for lack of configuration).
-- Never holds a token or a webhook URL. Not a foreign key: a failure alert may come from a run
-- whose plan step never ran (no ops.runs row on Windmill).
create table if not exists ops.notifications (
  id         bigserial primary key,
  run_id     text not null,
  flow       text,
  kind       text not null check (kind in ('summary', 'failure')),
  alert      text not null,   -- what the message said: success, partial, nothing_to_do, nothing_collected, failed, quota
  status     text not null check (status in ('sent', 'skipped', 'error')),
  via        text check (via in ('api', 'webhook')),
  channel    text,
  attempts   integer not null default 0,
  detail     text,            -- why it was skipped, or the Slack error (ratelimited, channel_not_found, …)
  created_at timestamptz not null default now()
);
create index if not exists notifications_run on ops.notifications (run_id, id desc);
