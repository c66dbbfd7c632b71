// Fill the gaps of an hourly asset over a partition range, with provenance: measured values stay
// untouched, each filled value gets its method (night_zero, clear_sky_index, linear; none = left
// NULL; daytime gaps too long to fill are reported under `unfilled`).
// Runs in each chunk after ingest and the checks (partitions a failing blocking check holds back
// arrive in `skip` and are reported, not filled); idempotent: a re-run with nothing new writes nothing.
// As the last step of a chunk its result is the chunk's result (on Windmill as locally), so it
// carries the ingest step's result (`ingest`) with its own summary under `impute`.
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { imputeAsset } from "../lib/quality/impute.ts";
import { yesterdayKst } from "../lib/time/kst.ts";

type Postgresql = PgResource;

export async function main(
  db: Postgresql,
  asset: string,
  start: string = "",
  end: string = "",
  pdim: string = "",
  skip: string[] = [],
  run_id: string = "",
  ingest: object = {},
) {
  const last = end || yesterdayKst();
  const first = start || last;
  const runId = run_id || process.env.WM_ROOT_FLOW_JOB_ID || process.env.WM_FLOW_JOB_ID || null;
  const impute = await withDb(db, (sql) => imputeAsset(sql, { asset, start: first, end: last, pdims: pdim ? [pdim] : null, skip: skip ?? [], runId }));
  return { ...(ingest ?? {}), impute };
}
