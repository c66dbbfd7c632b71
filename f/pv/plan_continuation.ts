// Plan the continuation of the source's unfinished backfills (stopped by the data.go.kr quota or by
// their --max-requests on an earlier day), for a scheduled run after its own day (issue #18). Each
// backfill gets a request budget of its own max_requests (null: until the quota) and at most that
// many chunks (a chunk costs at least one request); its chunks carry the budget and the backfill.
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { planChunks, type Chunk } from "../lib/planner/plan.ts";
import { SOURCE_SCOPES, type SourceScope } from "../lib/sources/scope.ts";
import { openBudget, takeBackfillsToContinue } from "../lib/store/request_budgets.ts";
import { resolveRunId } from "../lib/store/runs.ts";

type Postgresql = PgResource;

export type ContinuedChunk = Chunk & { budget: string; continues: string };

/** What is left of a backfill: the partitions it never reached and those that failed (stale ones too when it asked for them). */
function continuationPolicy(policy: unknown): string {
  const parts = String(policy ?? "missing").split("+");
  return parts.includes("stale") ? "missing+failed+stale" : "missing+failed";
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

export async function main(
  db: Postgresql,
  source: "kospo" | "asos",
  run_id: string = "",
): Promise<{ run_id: string; refetch: boolean; chunks: ContinuedChunk[]; continued: { run_id: string; start: string; end: string; chunks: number; partitions: number; max_requests: number | null }[] }> {
  const runId = resolveRunId(run_id);
  const scope: SourceScope = SOURCE_SCOPES[source];
  if (!scope) throw new Error(`plan_continuation: unknown source "${String(source)}"`);
  return withDb(db, async (sql) => {
    const chunks: ContinuedChunk[] = [];
    const continued = [];
    for (const b of await takeBackfillsToContinue(sql, source)) {
      const inp = b.inputs;
      const start = str(inp.start);
      const end = str(inp.end);
      const dims = await scope.dims(sql, {
        plant: str(inp.plant),
        unit: Number(inp.unit) || 0,
        stations: Array.isArray(inp.stations) ? inp.stations.map(Number) : [],
        stationSet: inp.station_set === "all" ? "all" : "mapped",
      });
      const planned = await planChunks(sql, { asset: scope.asset, start, end, dims, policy: continuationPolicy(inp.policy), maxChunk: scope.maxChunk });
      // Two stopped backfills of the same days (a resume that met the quota again): the older one takes them today.
      const left = planned.filter((c) => !chunks.some((o) => o.pdim === c.pdim && o.start <= c.end && c.start <= o.end));
      const taken = b.max_requests === null ? left : left.slice(0, b.max_requests);
      const budget = `${runId}/continues/${b.run_id}`;
      const partitions = taken.reduce((n, c) => n + c.partitions, 0);
      // Also when nothing is left: the run's report then closes the backfill as finished.
      await openBudget(sql, { budgetId: budget, runId, source, maxRequests: b.max_requests, continues: b.run_id, coversRest: taken.length === planned.length, partitions });
      chunks.push(...taken.map((c) => ({ ...c, budget, continues: b.run_id })));
      continued.push({ run_id: b.run_id, start, end, chunks: taken.length, partitions, max_requests: b.max_requests });
    }
    return { run_id: runId, refetch: false, chunks, continued };
  });
}
