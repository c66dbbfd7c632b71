-- KOEN (한국남동발전) PV from koenergy.kr CSV downloads: plants, raw files, staged rows and the
-- serving table. A unit's identity is always (발전구분, 호기) as the source spells them (DOMAIN §9.14).
create table if not exists public.namdong_plants (
  plant_name        text not null,            -- 발전구분 exactly as the source spells it (spacing kept)
  hogi              integer not null,         -- 호기; 1 when the source leaves it blank
  display_name      text,                     -- the earlier pipeline's name (e.g. 영흥태양광 #3_1), reference only
  latitude          double precision,
  longitude         double precision,
  capacity_kw       double precision,
  data_quality      text,                     -- 정상 / 시간별무효 / 전면무효
  hourly_valid_from date,
  discovered_run_id text,                     -- set when a downloaded CSV introduced the unit
  discovered_at     timestamptz,
  primary key (plant_name, hogi)
);

-- Every download attempt of a month (one row per fetch), never edited: the exact bytes, their
-- sha256 and the request. partial = the month was not complete when fetched (re-planned later).
create table if not exists raw.koen_files (
  id             bigserial primary key,
  run_id         text not null,
  partition      text not null,               -- month key 'YYYY-MM-01'
  month          date not null,
  window_start   date not null,               -- strDateS
  window_end     date not null,               -- strDateE
  partial        boolean not null default false,
  partial_reason text,
  outcome        text not null check (outcome in ('data', 'empty', 'failed')),
  request        jsonb not null,              -- method, URLs, form fields, headers (cookie names only)
  http_status    integer,
  content_type   text,
  body           bytea,                       -- exactly as received (also for rejected bodies)
  sha256         text,
  byte_length    integer,
  encoding       text,                        -- how the body was decoded (cp949, utf-8)
  row_count      integer,                     -- CSV data rows (unit-days) in the window
  tls_insecure   boolean not null default false, -- KOEN_TLS_INSECURE=1 was in effect
  error          text,
  fetched_at     timestamptz not null default now()
);
create index if not exists koen_files_run_partition on raw.koen_files (run_id, partition, id desc);
create index if not exists koen_files_partition on raw.koen_files (partition, id desc);

create unlogged table if not exists stage.koen_hourly (
  run_id      text not null,
  partition   text not null,
  plant_name  text not null,
  hogi        integer not null,
  datetime    timestamptz not null,
  hour        smallint not null,
  generation  double precision,
  daily_total double precision,
  daily_avg   double precision,
  daily_max   double precision,
  daily_min   double precision
);
create index if not exists koen_hourly_run on stage.koen_hourly (run_id, partition);

-- Serving table: the earlier pipeline's name and columns, now keyed and with quality columns.
-- datetime = interval start = 일자 + (hour − 1) h KST; hour = the source's label 1..24.
-- Summary columns are kWh whatever the CSV header's unit label says (DOMAIN §9.15).
create table if not exists public.namdong_generation (
  datetime          timestamptz not null,
  plant_name        text not null,
  hogi              integer not null,
  hour              integer not null check (hour between 1 and 24),
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
  primary key (plant_name, hogi, datetime)
);
create index if not exists namdong_generation_datetime on public.namdong_generation (datetime);
