-- Generated from migrations/*.sql by `npm run wmill:gen`. Do not edit.
-- First start of the compose stack's pv_db: apply the migrations and record them like
-- f/lib/db/migrate.ts (ops.schema_migrations), in one transaction.
\set ON_ERROR_STOP on
begin;
set role pvpipe; -- everything created below belongs to the engine's role (05_roles.sh)
create schema if not exists ops;
create table if not exists ops.schema_migrations (id text primary key, applied_at timestamptz not null default now());
\i /pvpipe/migrations/0001_core.sql
insert into ops.schema_migrations (id) values ('0001_core') on conflict (id) do nothing;
\i /pvpipe/migrations/0002_kospo.sql
insert into ops.schema_migrations (id) values ('0002_kospo') on conflict (id) do nothing;
\i /pvpipe/migrations/0003_asos.sql
insert into ops.schema_migrations (id) values ('0003_asos') on conflict (id) do nothing;
\i /pvpipe/migrations/0004_koen.sql
insert into ops.schema_migrations (id) values ('0004_koen') on conflict (id) do nothing;
\i /pvpipe/migrations/0005_quality.sql
insert into ops.schema_migrations (id) values ('0005_quality') on conflict (id) do nothing;
\i /pvpipe/migrations/0006_notify.sql
insert into ops.schema_migrations (id) values ('0006_notify') on conflict (id) do nothing;
\i /pvpipe/migrations/0007_grafana_reader.sql
insert into ops.schema_migrations (id) values ('0007_grafana_reader') on conflict (id) do nothing;
\i /pvpipe/migrations/0008_legacy.sql
insert into ops.schema_migrations (id) values ('0008_legacy') on conflict (id) do nothing;
\i /pvpipe/migrations/0009_source_lookup_indexes.sql
insert into ops.schema_migrations (id) values ('0009_source_lookup_indexes') on conflict (id) do nothing;
\i /pvpipe/migrations/0010_clock.sql
insert into ops.schema_migrations (id) values ('0010_clock') on conflict (id) do nothing;
\i /pvpipe/migrations/0011_check_evaluations.sql
insert into ops.schema_migrations (id) values ('0011_check_evaluations') on conflict (id) do nothing;
\i /pvpipe/migrations/0012_fills_v2.sql
insert into ops.schema_migrations (id) values ('0012_fills_v2') on conflict (id) do nothing;
\i /pvpipe/migrations/0013_run_events.sql
insert into ops.schema_migrations (id) values ('0013_run_events') on conflict (id) do nothing;
\i /pvpipe/migrations/0014_request_budgets.sql
insert into ops.schema_migrations (id) values ('0014_request_budgets') on conflict (id) do nothing;
\i /pvpipe/migrations/0015_upstream_at.sql
insert into ops.schema_migrations (id) values ('0015_upstream_at') on conflict (id) do nothing;
\i /pvpipe/migrations/0016_reference_fills.sql
insert into ops.schema_migrations (id) values ('0016_reference_fills') on conflict (id) do nothing;
\i /pvpipe/migrations/0017_partitions_by_key.sql
insert into ops.schema_migrations (id) values ('0017_partitions_by_key') on conflict (id) do nothing;
commit;
