-- Fills v2 (issue #17, docs/QUALITY.md): PV daytime gaps are filled from the clear-sky index of the
-- same day's neighbouring hours (method 'clear_sky_index'); wind speed joins the interpolated
-- instantaneous weather fields; accumulated weather fields are never interpolated.

-- The new method. NOT VALID: existing rows already satisfy the narrower old rule, and a serving
-- table of years is not scanned for it; new and updated rows are checked.
alter table public.nambu_generation drop constraint if exists nambu_generation_fill_method_check;
alter table public.nambu_generation add constraint nambu_generation_fill_method_check
  check (fill_method in ('measured', 'night_zero', 'clear_sky_index', 'linear', 'spline', 'profile', 'none')) not valid;
alter table public.namdong_generation drop constraint if exists namdong_generation_fill_method_check;
alter table public.namdong_generation add constraint namdong_generation_fill_method_check
  check (fill_method in ('measured', 'night_zero', 'clear_sky_index', 'linear', 'spline', 'profile', 'none')) not valid;

-- Wind speed: gap-free like the other instantaneous fields; rows already loaded carry their measured value.
alter table public.weather_asos add column if not exists ws_filled double precision;
update public.weather_asos
set ws_filled = ws, fill_methods = fill_methods || '{"ws": "measured"}'::jsonb
where ws is not null and ws_filled is null;

-- Accumulated fields filled by interpolation before this version are withdrawn: a blank rn means no
-- precipitation was reported (KMA leaves rn empty on dry hours), so no rain is invented for it; ss
-- and icsr are only ever 0 for whole-night hours ('night_zero', kept).
update public.weather_asos
set rn_filled = case when rn is null then null else rn_filled end,
    ss_filled = case when ss is null and fill_methods->>'ss' = 'linear' then null else ss_filled end,
    icsr_filled = case when icsr is null and fill_methods->>'icsr' = 'linear' then null else icsr_filled end,
    fill_methods = fill_methods
      - (case when rn is null and fill_methods ? 'rn' then 'rn' else '' end)
      - (case when ss is null and fill_methods->>'ss' = 'linear' then 'ss' else '' end)
      - (case when icsr is null and fill_methods->>'icsr' = 'linear' then 'icsr' else '' end)
where (rn is null and (rn_filled is not null or fill_methods ? 'rn'))
   or (ss is null and fill_methods->>'ss' = 'linear')
   or (icsr is null and fill_methods->>'icsr' = 'linear');
