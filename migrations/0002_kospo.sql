-- KOSPO (한국남부발전): plants, raw payloads, staged rows and the serving table.
create table if not exists public.nambu_plants (
  gencd             text not null,
  hogi              integer not null,
  plant_name        text not null,            -- official name from the code table
  unit_name         text,
  latitude          double precision,
  longitude         double precision,
  capacity_kw       double precision,
  data_quality      text,                     -- 정상 / 시간별무효 / 전면무효
  hourly_valid_from date,
  first_date        date,                     -- first day with data (kospo_probe)
  last_date         date,                     -- last day with data seen
  probed_at         timestamptz,
  primary key (gencd, hogi)
);

-- Exact payload of every fetched partition (one row per unit-day per fetch), never edited.
create table if not exists raw.kospo_items (
  id         bigserial primary key,
  run_id     text not null,
  partition  text not null,                   -- 'YYYY-MM-DD|GENCD-HOGI'
  gencd      text not null,
  hogi       integer not null,
  ymd        date not null,
  outcome    text not null check (outcome in ('data', 'empty', 'failed')),
  item       jsonb,                           -- every child tag of <item> as the source sent it
  error      text,
  fetched_at timestamptz not null default now()
);
create index if not exists kospo_items_run_partition on raw.kospo_items (run_id, partition, id desc);
create index if not exists kospo_items_partition on raw.kospo_items (partition, id desc);

create unlogged table if not exists stage.kospo_hourly (
  run_id      text not null,
  partition   text not null,
  gencd       text not null,
  hogi        integer not null,
  datetime    timestamptz not null,
  hour_label  smallint not null,
  plant_name  text,
  generation  double precision,
  daily_total double precision,
  daily_avg   double precision,
  daily_max   double precision,
  daily_min   double precision
);
create index if not exists kospo_hourly_run on stage.kospo_hourly (run_id, partition);

-- Serving table: the earlier pipeline's name and columns, now with a key and quality columns.
-- datetime = interval start (label qhorgen01 of day D = D 00:00 KST). generation NULL = not measured.
create table if not exists public.nambu_generation (
  datetime          timestamptz not null,
  gencd             text not null,
  hogi              integer not null,
  plant_name        text,
  generation        double precision,         -- measured kWh, NULL when the source had no value
  daily_total       double precision,
  daily_avg         double precision,
  daily_max         double precision,
  daily_min         double precision,
  generation_filled double precision,         -- gap-free series: measured, or filled by impute
  fill_method       text not null default 'none'
                    check (fill_method in ('measured', 'night_zero', 'linear', 'spline', 'profile', 'none')),
  run_id            text,
  updated_at        timestamptz not null default now(),
  primary key (gencd, hogi, datetime)
);
create index if not exists nambu_generation_datetime on public.nambu_generation (datetime);
