// Plan a run: which partitions of a source need work under a policy, as chunks of contiguous
// days per unit. Also opens the run record and readies the database (migrations, plants), and the
// run's request budget when it is given one (max_requests, data.go.kr sources).
import { ensureReady } from "../lib/db/setup.ts";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { planChunks, type Chunk } from "../lib/planner/plan.ts";
import { policySchema } from "../lib/planner/policy.ts";
import { SOURCE_SCOPES, type SourceName, type SourceScope } from "../lib/sources/scope.ts";
import { orDefault, parseStepArgs } from "../lib/runtime/step_args.ts";
import { openBudget } from "../lib/store/request_budgets.ts";
import { resolveRunId, startRun } from "../lib/store/runs.ts";
import { recordRunPlan } from "../lib/store/run_plan.ts";
import { collectStageGarbage } from "../lib/store/stage_gc.ts";
import { addDays, addMonths, monthStart, parseIsoDate, todayKst, yesterdayKst } from "../lib/time/kst.ts";
import { z } from "zod";

type Postgresql = PgResource;

export class InvalidPlanRequest extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = "InvalidPlanRequest";
  }
}

/** The optional parameters: null (an omitted flow input on Windmill) means the default. */
const PLAN_OPTIONS = {
  start: orDefault(z.string(), ""),
  end: orDefault(z.string(), ""),
  plant: orDefault(z.string(), ""),
  unit: orDefault(z.number(), 0),
  policy: orDefault(z.string(), "missing"),
  flow: orDefault(z.string(), "backfill"),
  run_id: orDefault(z.string(), ""),
  lookback_days: orDefault(z.number(), 8),
  stations: orDefault(z.array(z.number()), []),
  station_set: orDefault(z.enum(["mapped", "all"]), "mapped"),
  lookback_months: orDefault(z.number(), 0),
  max_requests: orDefault(z.number().int("max_requests must be a whole number").min(0, "max_requests must be positive (0 = no budget)"), 0),
};

/** Sources whose requests count against a data.go.kr key's daily quota (they honour a request budget). */
const BUDGETED_SOURCES: readonly string[] = ["kospo", "asos"];

export async function main(
  db: Postgresql,
  source: "kospo" | "asos" | "koen",
  start: string = "",
  end: string = "",
  plant: string = "",
  unit: number = 0,
  policy: string = "missing",
  flow: string = "backfill",
  run_id: string = "",
  lookback_days: number = 8,
  stations: number[] = [],
  station_set: "mapped" | "all" = "mapped",
  lookback_months: number = 0,
  max_requests: number = 0,
): Promise<{ run_id: string; source: string; asset: string; start: string; end: string; policy: string; refetch: boolean; partitions: number; chunks: Chunk[] }> {
  ({ start, end, plant, unit, policy, flow, run_id, lookback_days, stations, station_set, lookback_months, max_requests } = parseStepArgs("plan", PLAN_OPTIONS, {
    start, end, plant, unit, policy, flow, run_id, lookback_days, stations, station_set, lookback_months, max_requests,
  }));
  const scope = SOURCE_SCOPES[source as SourceName];
  if (!scope) throw new InvalidPlanRequest(`unknown source "${source}" (known: ${Object.keys(SOURCE_SCOPES).join(", ")})`);
  const latest = scope.publishesUpTo === "yesterday" ? yesterdayKst() : todayKst();
  // Monthly flows give no dates either: the `lookback_months` full calendar months before this one.
  if (!start && !end && lookback_months > 0) {
    const thisMonth = monthStart(todayKst());
    start = addMonths(thisMonth, -lookback_months);
    end = addDays(thisMonth, -1);
  }
  // Scheduled flows give no dates: the window is the last `lookback_days` days up to `latest`.
  if (!end) end = latest;
  if (!start) start = addDays(end, -(Math.max(1, lookback_days) - 1));
  try {
    parseIsoDate(start, "start");
    parseIsoDate(end, "end");
  } catch (e) {
    throw new InvalidPlanRequest((e as Error).message);
  }
  if (start > end) throw new InvalidPlanRequest(`start ${start} is after end ${end}`);
  if (end > latest) throw new InvalidPlanRequest(`end ${end} is later than ${latest}: ${source} publishes data up to ${scope.publishesUpTo} (KST)`);
  const pol = policySchema.safeParse(policy);
  if (!pol.success) throw new InvalidPlanRequest(pol.error.issues[0].message);
  if (max_requests > 0 && !BUDGETED_SOURCES.includes(source)) {
    throw new InvalidPlanRequest(`max_requests applies to the data.go.kr sources (${BUDGETED_SOURCES.join(", ")}), not ${source}`);
  }

  const runId = resolveRunId(run_id);
  return withDb(db, async (sql) => {
    await ensureReady(sql);
    await collectStageGarbage(sql);
    await startRun(sql, {
      runId, flow, engine: run_id ? "local" : "windmill",
      inputs: { source, start, end, plant, unit, policy, ...(source === "asos" ? { stations, station_set } : {}), ...(max_requests > 0 ? { max_requests } : {}) },
    });
    if (max_requests > 0) await openBudget(sql, { budgetId: runId, runId, source, maxRequests: max_requests });
    const dims = await scope.dims(sql, { plant, unit, stations: stations ?? [], stationSet: station_set === "all" ? "all" : "mapped" });
    // Partitions a source always re-plans (KOEN months fetched while partial), whatever the policy.
    const include = (await (scope as SourceScope).alwaysPlan?.(sql, { start, end })) ?? [];
    const chunks = await planChunks(sql, { asset: scope.asset, start, end, dims, policy: pol.data, maxChunk: scope.maxChunk, include });
    await recordRunPlan(sql, runId, { source, asset: scope.asset.key, start, end, policy: pol.data, partitions: chunks.reduce((n, c) => n + c.partitions, 0), chunks: chunks.length });
    return {
      run_id: runId,
      source,
      asset: scope.asset.key,
      start,
      end,
      policy: pol.data,
      // 'all' means load everything again from the source; other policies reuse stored payloads.
      refetch: pol.data.split("+").includes("all"),
      partitions: chunks.reduce((n, c) => n + c.partitions, 0),
      chunks,
    };
  });
}
