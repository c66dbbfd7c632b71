// Run the asset checks an asset declares (f/lib/assets/catalog.ts) on a partition range, or its
// freshness check: failures with their figures and one evaluation per partition and check go to
// ops.check_results / ops.check_evaluations. Returns the partitions a failing blocking check holds
// back (`blocked`), which the next step of the chunk skips.
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { runAssetChecks } from "../lib/quality/run_checks.ts";
import { yesterdayKst } from "../lib/time/kst.ts";

type Postgresql = PgResource;

export async function main(
  db: Postgresql,
  asset: string,
  start: string = "",
  end: string = "",
  pdim: string = "",
  mode: "partitions" | "freshness" | "all" = "partitions",
  run_id: string = "",
) {
  const last = end || yesterdayKst();
  const first = start || last;
  const runId = run_id || process.env.WM_ROOT_FLOW_JOB_ID || process.env.WM_FLOW_JOB_ID || null;
  return withDb(db, (sql) => runAssetChecks(sql, { asset, start: first, end: last, pdims: pdim ? [pdim] : null, mode: mode || "partitions", runId }));
}
