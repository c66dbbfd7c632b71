-- The planner (f/lib/planner/plan.ts) reads each dimension key's partitions of a range in time
-- order. This index hands them over in that order, from the index alone, so a `missing` plan over
-- a million partitions neither sorts nor windows them (bench §3, issue #18).
create index if not exists asset_partitions_pdim_pdate on ops.asset_partitions (asset, pdim, pdate);
