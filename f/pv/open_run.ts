// Open a run's record: its inputs (the plan's request, dates resolved), the plan it follows (so
// reports and alerts know what was expected, also for scheduled flows that give no dates) and,
// when it has one, its request budget (max_requests: a share of a data.go.kr key's daily quota).
// The local engine has opened the run already; its record is kept.
import { z } from "zod";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { orDefault, postgresqlResource, runIdArg, stepArgs } from "../lib/runtime/step_args.ts";
import { openBudget } from "../lib/store/request_budgets.ts";
import { recordRunPlan, runPlan } from "../lib/store/run_plan.ts";
import { resolveRunId, startRun } from "../lib/store/runs.ts";

type Postgresql = PgResource;

export const args = stepArgs("open_run", {
  db: postgresqlResource,
  run_id: runIdArg,
  flow: orDefault(z.string(), "backfill").describe("Name of the flow, recorded in ops.runs"),
  inputs: z.record(z.string(), z.unknown()).describe("The run's inputs: the plan step's request"),
  plan: runPlan.describe("What the plan step selected (source, asset, period, policy, partitions, chunks)"),
  max_requests: orDefault(z.number().int().min(0), 0).describe("kospo, asos: the run's request budget; 0 = none"),
});

export async function main(db: Postgresql, run_id: string = "", flow: string = "backfill", inputs: object = {}, plan: object = {}, max_requests: number = 0) {
  const a = args.parse({ db, run_id, flow, inputs, plan, max_requests });
  const runId = resolveRunId(a.run_id);
  return withDb(a.db, async (sql) => {
    await startRun(sql, { runId, flow: a.flow, engine: a.run_id ? "local" : "windmill", inputs: a.inputs });
    await recordRunPlan(sql, runId, a.plan);
    if (a.max_requests > 0) await openBudget(sql, { budgetId: runId, runId, source: a.plan.source, maxRequests: a.max_requests });
    return { run_id: runId, budget: a.max_requests > 0 ? a.max_requests : null };
  });
}
