// Plan the continuation of the source's unfinished backfills (stopped by the data.go.kr quota or by
// their --max-requests on an earlier day), for a scheduled run after its own day (issue #18). Each
// backfill gets a request budget of its own max_requests (null: until the quota) and at most that
// many chunks (a chunk costs at least one request); its chunks carry the budget and the backfill.
import { z } from "zod";
import { assetOfSource } from "../lib/assets/sources.ts";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import type { Chunk } from "../lib/planner/chunk.ts";
import { planSource } from "../lib/planner/plan_source.ts";
import { postgresqlResource, runIdArg, stepArgs } from "../lib/runtime/step_args.ts";
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

export const args = stepArgs("plan_continuation", {
  db: postgresqlResource,
  source: z.string().describe("Source whose unfinished backfills (stopped by the quota or their request budget on an earlier day) to continue"),
  run_id: runIdArg.describe("Run id of the scheduled run that continues them (the plan step's)"),
});

export async function main(
  db: Postgresql,
  source: "kospo" | "asos",
  run_id: string = "",
): Promise<{ run_id: string; refetch: boolean; chunks: ContinuedChunk[]; continued: { run_id: string; start: string; end: string; chunks: number; partitions: number; max_requests: number | null }[] }> {
  const a = args.parse({ db, source, run_id });
  const runId = resolveRunId(a.run_id);
  const asset = assetOfSource(a.source);
  return withDb(a.db, async (sql) => {
    const chunks: ContinuedChunk[] = [];
    const continued = [];
    for (const b of await takeBackfillsToContinue(sql, a.source)) {
      const inp = b.inputs;
      const start = str(inp.start);
      const end = str(inp.end);
      const filter = {
        plant: str(inp.plant),
        unit: Number(inp.unit) || 0,
        stations: Array.isArray(inp.stations) ? inp.stations.map(Number) : [],
        stationSet: inp.station_set === "all" ? ("all" as const) : ("mapped" as const),
      };
      const { chunks: planned } = await planSource(sql, asset, { start, end, filter, policy: continuationPolicy(inp.policy), alwaysPlan: false });
      // Two stopped backfills of the same days (a resume that met the quota again): the older one takes them today.
      const left = planned.filter((c) => !chunks.some((o) => o.pdim === c.pdim && o.start <= c.end && c.start <= o.end));
      const taken = b.max_requests === null ? left : left.slice(0, b.max_requests);
      const budget = `${runId}/continues/${b.run_id}`;
      const partitions = taken.reduce((n, c) => n + c.partitions, 0);
      // Also when nothing is left: the run's report then closes the backfill as finished.
      await openBudget(sql, { budgetId: budget, runId, source: a.source, maxRequests: b.max_requests, continues: b.run_id, coversRest: taken.length === planned.length, partitions });
      chunks.push(...taken.map((c) => ({ ...c, budget, continues: b.run_id })));
      continued.push({ run_id: b.run_id, start, end, chunks: taken.length, partitions, max_requests: b.max_requests });
    }
    return { run_id: runId, refetch: false, chunks, continued };
  });
}
