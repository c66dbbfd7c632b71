-- Quality (issue #5): asset check results say whether a failure blocks the downstream step and
-- which plant-day (or station-day) inside the partition they are about; impute and the checks read
-- the serving tables through their primary keys, so they need no index of their own.

-- blocking: a failing blocking check of severity error makes the next step skip the partition.
-- day/unit: the subject of the result inside its partition (KOEN partitions are months of every
-- unit, so one partition holds many plant-days); day is taken from the partition key when a writer
-- leaves it empty, unit stays NULL for results about the whole partition (e.g. freshness).
alter table ops.check_results add column if not exists blocking boolean not null default false;
alter table ops.check_results add column if not exists day date;
alter table ops.check_results add column if not exists unit text;

create or replace function ops.check_results_default_day() returns trigger language plpgsql as $$
begin
  if new.day is null and new.partition ~ '^\d{4}-\d{2}-\d{2}' then
    new.day := make_date(substr(new.partition, 1, 4)::int, substr(new.partition, 6, 2)::int, substr(new.partition, 9, 2)::int);
  end if;
  return new;
end
$$;

drop trigger if exists check_results_default_day on ops.check_results;
create trigger check_results_default_day before insert on ops.check_results
  for each row execute function ops.check_results_default_day();

update ops.check_results set day = make_date(substr(partition, 1, 4)::int, substr(partition, 6, 2)::int, substr(partition, 9, 2)::int)
where day is null and partition ~ '^\d{4}-\d{2}-\d{2}';

-- `pvpipe status`: the latest result per check and subject over a window of days.
create index if not exists check_results_asset_day on ops.check_results (asset, day, id desc);
-- `pvpipe checks --since 7d`: failing results, newest first.
create index if not exists check_results_failing on ops.check_results (checked_at desc) where not passed;
-- The run report: what a run's checks found.
create index if not exists check_results_run on ops.check_results (run_id) where run_id is not null;
