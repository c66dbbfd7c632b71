// Run the asset checks an asset declares (f/lib/assets/catalog.ts) on a partition range, or its
// freshness check: failures with their figures and one evaluation per partition and check go to
// ops.check_results / ops.check_evaluations. Returns the partitions a failing blocking check holds
// back (`blocked`), which the next step of the chunk skips.
import { z } from "zod";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { assetRange, assetRangeArgs } from "../lib/quality/range_args.ts";
import { runAssetChecks } from "../lib/quality/run_checks.ts";
import { orDefault, runIdArg, stepArgs } from "../lib/runtime/step_args.ts";

type Postgresql = PgResource;

export const args = stepArgs("check", {
  ...assetRangeArgs,
  mode: orDefault(z.enum(["partitions", "freshness", "all"]), "partitions").describe(
    "partitions = the declared checks on the range; freshness = is the latest partition there by its deadline; all = both",
  ),
  run_id: runIdArg,
});

export async function main(db: Postgresql, asset: string, start: string = "", end: string = "", pdim: string = "", mode: "partitions" | "freshness" | "all" = "partitions", run_id: string = "") {
  const a = args.parse({ db, asset, start, end, pdim, mode, run_id });
  return withDb(a.db, (sql) => runAssetChecks(sql, { ...assetRange(a), mode: a.mode }));
}
