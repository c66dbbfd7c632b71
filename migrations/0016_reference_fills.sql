-- Reference fills (issue #17, docs/QUALITY.md): a PV daytime gap may take the shape of its sky from
-- a measured unit of the same site ('sibling_csi') or from the plant's pyranometer station
-- ('station_csi'), scaled to the unit's own clear-sky index around the gap.

-- The new methods. NOT VALID, as in 0012: existing rows already satisfy the narrower rule, and a
-- serving table of years is not scanned for it; new and updated rows are checked.
alter table public.nambu_generation drop constraint if exists nambu_generation_fill_method_check;
alter table public.nambu_generation add constraint nambu_generation_fill_method_check
  check (fill_method in ('measured', 'night_zero', 'sibling_csi', 'station_csi', 'clear_sky_index', 'linear', 'spline', 'profile', 'none')) not valid;
alter table public.namdong_generation drop constraint if exists namdong_generation_fill_method_check;
alter table public.namdong_generation add constraint namdong_generation_fill_method_check
  check (fill_method in ('measured', 'night_zero', 'sibling_csi', 'station_csi', 'clear_sky_index', 'linear', 'spline', 'profile', 'none')) not valid;
