-- The merge steps read each unit's latest raw fetch per day of a chunk
-- (`where gencd/hogi (or stn_id) = … and ymd between … order by partition, id desc`); without
-- these that read scanned the whole raw table once per chunk, so backfills slowed as raw grew.
create index if not exists kospo_items_unit_day on raw.kospo_items (gencd, hogi, ymd, id desc);
create index if not exists asos_items_station_day on raw.asos_items (stn_id, ymd, id desc);

