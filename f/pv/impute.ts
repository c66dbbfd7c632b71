// Fill the gaps of an hourly asset over a partition range, with provenance: measured values stay
// untouched, each filled value gets its method (night_zero, sibling_csi, station_csi,
// clear_sky_index, linear; none = left NULL; daytime gaps too long to fill are reported under
// `unfilled`). A weather asset's impute also plans again the PV units whose station it is (`refilled`).
// Runs in each chunk after ingest and the checks (partitions a failing blocking check holds back
// arrive in `skip` and are reported, not filled); idempotent: a re-run with nothing new writes nothing.
// As the last step of a chunk its result is the chunk's result (on Windmill as locally), so it
// carries the ingest step's result (`ingest`) with its own summary under `impute`.
import { z } from "zod";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { imputeAsset } from "../lib/quality/impute.ts";
import { assetRange, assetRangeArgs } from "../lib/quality/range_args.ts";
import { orDefault, runIdArg, stepArgs } from "../lib/runtime/step_args.ts";

type Postgresql = PgResource;

export const args = stepArgs("impute", {
  ...assetRangeArgs,
  skip: orDefault(z.array(z.string()), []).describe("Partitions not to fill (the check step's `blocked`); reported as skipped"),
  run_id: runIdArg,
  ingest: orDefault(z.custom<object>((v) => typeof v === "object" && v !== null, "must be the ingest step's result"), {}).describe(
    "The ingest step's result, returned alongside impute's (the chunk's result)",
  ),
});

export async function main(db: Postgresql, asset: string, start: string = "", end: string = "", pdim: string = "", skip: string[] = [], run_id: string = "", ingest: object = {}) {
  const a = args.parse({ db, asset, start, end, pdim, skip, run_id, ingest });
  const impute = await withDb(a.db, (sql) => imputeAsset(sql, { ...assetRange(a), skip: a.skip }));
  return { ...a.ingest, impute };
}
