#!/bin/sh
# First start of the compose stack's pv_db, before the migrations (10_*.sql): the engine's role
# (PV_DB_USER, password PV_DB_PASSWORD) owns the pv database and its public schema and can do
# nothing else — no superuser, no new databases or roles. The read-only Grafana role pv_grafana is
# made here with its session defaults, so the migrations only grant it SELECT. Passwords go in as
# psql variables, never echoed.
set -eu
: "${PV_DB_USER:?PV_DB_USER is not set}"
: "${PV_DB_PASSWORD:?PV_DB_PASSWORD is not set}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v role="$PV_DB_USER" -v pw="$PV_DB_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
create role :"role" login nosuperuser nocreatedb nocreaterole noreplication password :'pw';
alter database :"db" owner to :"role";
alter schema public owner to :"role";
create role pv_grafana nologin;
comment on role pv_grafana is 'pvpipe Grafana reader: SELECT on public and reporting only';
alter role pv_grafana set default_transaction_read_only = on;
alter role pv_grafana set timezone = 'Asia/Seoul';
alter role pv_grafana set statement_timeout = '60s';
SQL
