// Plan a run: which partitions of a source need work under a policy, as chunks of contiguous days
// (or months) per unit. Reads only: the run is opened by open_run with what this returns.
import { z } from "zod";
import { assetOfSource } from "../lib/assets/sources.ts";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { InvalidPlanRequest } from "../lib/planner/errors.ts";
import { planWindow } from "../lib/planner/window.ts";
import { planSource } from "../lib/planner/plan_source.ts";
import { policySchema } from "../lib/planner/policy.ts";
import { orDefault, postgresqlResource, runIdArg, stepArgs } from "../lib/runtime/step_args.ts";
import { resolveRunId } from "../lib/store/runs.ts";

type Postgresql = PgResource;

export const args = stepArgs("plan", {
  db: postgresqlResource,
  source: z.string().describe("Source to plan"),
  start: orDefault(z.string(), "").describe("First day (KST); empty = lookback_days before end"),
  end: orDefault(z.string(), "").describe("Last day (KST); empty = the latest day the source publishes"),
  plant: orDefault(z.string(), "").describe("Plant code; empty = every unit with coordinates"),
  unit: orDefault(z.number(), 0).describe("Unit number; 0 = every unit of the plant"),
  policy: orDefault(z.string(), "missing").describe("missing | failed | stale | all, or combined: missing+failed"),
  run_id: runIdArg.describe("Run id; empty = the root flow job (WM_ROOT_FLOW_JOB_ID)"),
  lookback_days: orDefault(z.number(), 8).describe("Window when no dates are given: this many days up to end"),
  stations: orDefault(z.array(z.number()), []).describe("ASOS only: station ids to plan; empty = station_set"),
  station_set: orDefault(z.enum(["mapped", "all"]), "mapped").describe("ASOS only, when no stations are given"),
  lookback_months: orDefault(z.number(), 0).describe("Monthly sources, when no dates are given: this many full months before this one"),
  max_requests: orDefault(z.number().int("max_requests must be a whole number").min(0, "max_requests must be positive (0 = no budget)"), 0).describe(
    "kospo, asos: stop cleanly after this many requests (a share of the key's daily quota); 0 = no limit",
  ),
});

export async function main(
  db: Postgresql,
  source: "kospo" | "asos" | "koen",
  start: string = "",
  end: string = "",
  plant: string = "",
  unit: number = 0,
  policy: string = "missing",
  run_id: string = "",
  lookback_days: number = 8,
  stations: number[] = [],
  station_set: "mapped" | "all" = "mapped",
  lookback_months: number = 0,
  max_requests: number = 0,
) {
  const a = args.parse({ db, source, start, end, plant, unit, policy, run_id, lookback_days, stations, station_set, lookback_months, max_requests });
  const asset = assetOfSource(a.source);
  const range = planWindow(a, asset.source.planning.publishesUpTo, asset.source.name);
  const pol = policySchema.safeParse(a.policy);
  if (!pol.success) throw new InvalidPlanRequest(pol.error.issues[0].message, { cause: pol.error });
  if (a.max_requests > 0 && !asset.source.quota) throw new InvalidPlanRequest(`max_requests applies to the sources with a daily request quota, not ${a.source}`);
  const runId = resolveRunId(a.run_id);
  const filter = { plant: a.plant, unit: a.unit, stations: a.stations, stationSet: a.station_set };
  const plan = await withDb(a.db, (sql) => planSource(sql, asset, { ...range, filter, policy: pol.data }));
  return {
    run_id: runId,
    source: a.source,
    asset: plan.asset,
    ...range,
    policy: pol.data,
    // 'all' means load everything again from the source; other policies reuse stored payloads.
    refetch: pol.data.split("+").includes("all"),
    partitions: plan.partitions,
    chunks: plan.chunks,
    /** What the run records as its inputs (open_run): the request with its dates resolved. */
    request: {
      source: a.source, ...range, plant: a.plant, unit: a.unit, policy: a.policy,
      ...(asset.source.units.filters.includes("stations") ? { stations: a.stations, station_set: a.station_set } : {}),
      ...(a.max_requests > 0 ? { max_requests: a.max_requests } : {}),
    },
  };
}
