// Close a run: summarize its materializations and set its status (partial when any partition
// failed), so schedules and people see the truth rather than "done".
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { finishRun, resolveRunId } from "../lib/store/runs.ts";
import { runReport } from "../lib/store/run_report.ts";

type Postgresql = PgResource;

export async function main(db: Postgresql, run_id: string = "") {
  const runId = resolveRunId(run_id);
  return withDb(db, async (sql) => {
    const before = await runReport(sql, runId);
    const status = before.failed_total > 0 ? "partial" : "success";
    await finishRun(sql, runId, status, { assets: before.assets, failed: before.failed_total });
    return { ...(await runReport(sql, runId)) };
  });
}
