// Run the asset checks an asset declares (f/lib/assets/catalog.ts) on a partition range, or its
// freshness check: failures with their figures and one evaluation per partition and check go to
// ops.check_results / ops.check_evaluations. Returns the partitions a failing blocking check holds
// back (`blocked`), which the next step of the chunk skips.
import { z } from "zod";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { runAssetChecks } from "../lib/quality/run_checks.ts";
import { orDefault, postgresqlResource, runIdArg, stepArgs } from "../lib/runtime/step_args.ts";
import { yesterdayKst } from "../lib/time/kst.ts";

type Postgresql = PgResource;

export const args = stepArgs("check", {
  db: postgresqlResource,
  asset: z.string().describe("Asset key: kospo/hourly, asos/hourly or koen/hourly"),
  start: orDefault(z.string(), "").describe("First day (KST); empty = end"),
  end: orDefault(z.string(), "").describe("Last day (KST); empty = yesterday"),
  pdim: orDefault(z.string(), "").describe("One unit or station key (997S-1, 108); empty = every unit"),
  mode: orDefault(z.enum(["partitions", "freshness", "all"]), "partitions").describe(
    "partitions = the declared checks on the range; freshness = is the latest partition there by its deadline; all = both",
  ),
  run_id: runIdArg,
});

export async function main(
  db: Postgresql,
  asset: string,
  start: string = "",
  end: string = "",
  pdim: string = "",
  mode: "partitions" | "freshness" | "all" = "partitions",
  run_id: string = "",
) {
  const a = args.parse({ db, asset, start, end, pdim, mode, run_id });
  const last = a.end || yesterdayKst();
  const runId = a.run_id || process.env.WM_ROOT_FLOW_JOB_ID || process.env.WM_FLOW_JOB_ID || null;
  return withDb(a.db, (sql) => runAssetChecks(sql, { asset: a.asset, start: a.start || last, end: last, pdims: a.pdim ? [a.pdim] : null, mode: a.mode, runId }));
}
