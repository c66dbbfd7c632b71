// A collect step's fetch within its run's request budget (issue #18). Every HTTP attempt first
// takes a request from the budget in the database (when the run has one); a stop by the budget or
// the key's quota is recorded, so the backfill is continued by its source's next scheduled run.
// A chunk that continues a backfill (planned by f/pv/plan_continuation) ends quietly on a stop:
// the scheduled run that carries it has loaded its own day and must not fail for it.
import type { Sql } from "../../db/resource.ts";
import { budgetOf, recordStop, takeRequest, type StopReason } from "../../store/request_budgets.ts";
import { QuotaExceeded, RequestBudgetSpent } from "../errors.ts";

/** What a planned chunk may carry beyond its range: the budget it spends and the backfill it continues. */
export interface BudgetedChunk {
  budget?: string | null;
  continues?: string | null;
}

export type BudgetedOutcome<T> = { result: T; stopped: null } | { result: null; stopped: StopReason };

export async function fetchWithinBudget<T>(
  sql: Sql,
  o: { runId: string; source: string; chunk: BudgetedChunk; keyVariable: string },
  fetch: (beforeRequest: (() => Promise<void>) | undefined) => Promise<T>,
): Promise<BudgetedOutcome<T>> {
  const budgetId = o.chunk.budget || o.runId;
  const continues = o.chunk.continues || null;
  const budget = await budgetOf(sql, budgetId);
  if (continues && budget?.stopped) return { result: null, stopped: budget.stopped };
  try {
    return { result: await fetch(budget ? () => takeRequest(sql, budgetId, o.keyVariable) : undefined), stopped: null };
  } catch (e) {
    const reason: StopReason | null = e instanceof RequestBudgetSpent ? "budget" : e instanceof QuotaExceeded ? "quota" : null;
    if (reason === null) throw e;
    await recordStop(sql, { runId: o.runId, source: o.source, budgetId: budget ? budgetId : null, continues, reason });
    if (continues) return { result: null, stopped: reason };
    throw e;
  }
}
