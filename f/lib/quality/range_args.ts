// The arguments check and impute share: an asset and a partition range (one unit, or all), as the
// chunk loop or a scheduled flow passes them, and what they mean (empty end = yesterday, empty
// start = end; the run: given, else Windmill's root flow job, else none).
import { z } from "zod";
import { orDefault, postgresqlResource } from "../runtime/step_args.ts";
import { yesterdayKst } from "../time/kst.ts";

export const assetRangeArgs = {
  db: postgresqlResource,
  asset: z.string().describe("Asset key: kospo/hourly, asos/hourly or koen/hourly"),
  start: orDefault(z.string(), "").describe("First day (KST); empty = end"),
  end: orDefault(z.string(), "").describe("Last day (KST); empty = yesterday"),
  pdim: orDefault(z.string(), "").describe("One unit or station key (997S-1, 108); empty = every unit"),
};

export function assetRange(a: { asset: string; start: string; end: string; pdim: string; run_id: string }) {
  const end = a.end || yesterdayKst();
  const runId = a.run_id || process.env.WM_ROOT_FLOW_JOB_ID || process.env.WM_FLOW_JOB_ID || null;
  return { asset: a.asset, start: a.start || end, end, pdims: a.pdim ? [a.pdim] : null, runId };
}

