-- KMA ASOS (기상청 종관기상관측) hourly weather: stations, raw payloads, staged rows, the serving
-- table and the plant ↔ station mapping. The mapping is recomputed by ensureReady
-- (f/lib/sources/asos/plant_station.ts), which also (re)creates the view pv_weather_hourly: both
-- adapt to which operators' plant/generation tables exist (KOSPO now, KOEN once it lands).

create table if not exists public.asos_stations (
  stn_id           integer primary key,
  station_name     text not null,
  office           text,
  latitude         double precision not null,
  longitude        double precision not null,
  has_solar_sensor boolean not null           -- measures icsr (pyranometer); DOMAIN §3.4
);

-- Exact payload of every fetched partition (one station-day per fetch), never edited.
-- items = the day's `item` objects exactly as received (every value a string).
create table if not exists raw.asos_items (
  id         bigserial primary key,
  run_id     text not null,
  partition  text not null,                   -- 'YYYY-MM-DD|<stn_id>'
  stn_id     integer not null,
  ymd        date not null,
  outcome    text not null check (outcome in ('data', 'empty', 'failed')),
  items      jsonb,
  error      text,
  fetched_at timestamptz not null default now()
);
create index if not exists asos_items_run_partition on raw.asos_items (run_id, partition, id desc);
create index if not exists asos_items_partition on raw.asos_items (partition, id desc);

create unlogged table if not exists stage.asos_hourly (
  run_id       text not null,
  partition    text not null,
  stn_id       integer not null,
  datetime     timestamptz not null,
  station_name text,
  ta double precision, rn double precision, ws double precision, wd double precision,
  hm double precision, pv double precision, td double precision, pa double precision,
  ps double precision, ss double precision, icsr double precision, dsnw double precision,
  hr3_fhsc double precision, dc10_tca double precision, dc10_lmcs_ca double precision,
  lcs_ch double precision, vs double precision, ts double precision
);
create index if not exists asos_hourly_run on stage.asos_hourly (run_id, partition);

-- Serving table: one row per station and observation time.
-- datetime = tm, the KST wall-clock time of the observation, as an instant. Instantaneous fields
-- (ta, hm, td, pv, pa, ps, ws, wd, dc10_*, lcs_ch, vs, ts, dsnw) are the values observed at tm;
-- accumulated fields (rn, ss, icsr) cover the hour ENDING at tm, i.e. [tm - 1 h, tm);
-- hr3_fhsc covers the 3 hours ending at tm. Units as the source gives them: °C, mm, m/s, degrees,
-- %, hPa, hours, MJ/m², cm, tenths of sky, 100 m (lcs_ch), 10 m (vs). "" from the source = NULL.
create table if not exists public.weather_asos (
  datetime      timestamptz not null,
  stn_id        integer not null,
  station_name  text,
  ta            double precision,   -- air temperature °C
  rn            double precision,   -- precipitation mm (NULL also when it did not rain: KMA sends "")
  ws            double precision,   -- wind speed m/s
  wd            double precision,   -- wind direction degrees
  hm            double precision,   -- relative humidity %
  pv            double precision,   -- vapour pressure hPa
  td            double precision,   -- dew point °C
  pa            double precision,   -- station (local) pressure hPa
  ps            double precision,   -- sea-level pressure hPa
  ss            double precision,   -- sunshine duration, hours
  icsr          double precision,   -- global solar radiation MJ/m² (pyranometer stations, daytime)
  dsnw          double precision,   -- snow depth cm
  hr3_fhsc      double precision,   -- fresh snow over 3 h, cm
  dc10_tca      double precision,   -- total cloud amount, tenths
  dc10_lmcs_ca  double precision,   -- mid/low cloud amount, tenths
  lcs_ch        double precision,   -- lowest cloud base, 100 m
  vs            double precision,   -- visibility, 10 m
  ts            double precision,   -- ground surface temperature °C
  -- Gap-free series for the fields impute fills: the measured value, or a filled one.
  ta_filled     double precision,
  hm_filled     double precision,
  ps_filled     double precision,
  pa_filled     double precision,
  td_filled     double precision,
  rn_filled     double precision,
  ss_filled     double precision,
  icsr_filled   double precision,
  -- field → how its *_filled value was obtained ('measured' or an impute method); a field absent
  -- from the object has no filled value.
  fill_methods  jsonb not null default '{}'::jsonb,
  run_id        text,
  updated_at    timestamptz not null default now(),
  primary key (stn_id, datetime)
);
create index if not exists weather_asos_datetime on public.weather_asos (datetime);

-- For every plant with coordinates: the nearest ASOS station and the nearest one that measures
-- solar radiation (great-circle distance, km). plant_code/hogi are the plant's identity in its
-- operator's tables: KOSPO (gencd, hogi), KOEN (plant_name, hogi).
create table if not exists public.plant_station (
  operator          text not null,
  plant_code        text not null,
  hogi              integer not null,
  plant_name        text,
  latitude          double precision not null,
  longitude         double precision not null,
  stn_id            integer not null references public.asos_stations (stn_id),
  distance_km       double precision not null,
  solar_stn_id      integer references public.asos_stations (stn_id),
  solar_distance_km double precision,
  computed_at       timestamptz not null default now(),
  primary key (operator, plant_code, hogi)
);
