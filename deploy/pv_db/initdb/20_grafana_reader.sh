#!/bin/sh
# First start of the compose stack's pv_db, after the migrations (10_*.sql): let the read-only
# role pv_grafana (created NOLOGIN by migration 0007) log in with PV_GRAFANA_PASSWORD, the password
# Grafana's provisioned data source uses. The password is passed as a psql variable, never echoed.
set -eu
if [ -z "${PV_GRAFANA_PASSWORD:-}" ]; then
  echo "pvpipe: PV_GRAFANA_PASSWORD is not set; pv_grafana stays NOLOGIN (Grafana cannot connect)" >&2
  exit 0
fi
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v pw="$PV_GRAFANA_PASSWORD" <<'SQL'
alter role pv_grafana login password :'pw';
SQL
