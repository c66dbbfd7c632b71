// Close a run: summarize its materializations and checks (one aggregate query) and set its status
// (partial when any partition failed), so schedules and people see the truth rather than "done".
// Backfills the run continued to the end (issue #18) are closed first, so the report says so.
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { postgresqlResource, runIdArg, stepArgs } from "../lib/runtime/step_args.ts";
import { resolveRunId } from "../lib/store/runs.ts";
import { finishRunWithReport } from "../lib/store/run_report.ts";
import { closeContinuations } from "../lib/store/request_budgets.ts";

type Postgresql = PgResource;

export const args = stepArgs("report", { db: postgresqlResource, run_id: runIdArg });

export async function main(db: Postgresql, run_id: string = "") {
  const a = args.parse({ db, run_id });
  const runId = resolveRunId(a.run_id);
  return withDb(a.db, async (sql) => {
    await closeContinuations(sql, runId);
    return finishRunWithReport(sql, runId);
  });
}
