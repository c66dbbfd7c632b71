// Request budgets and unfinished backfills (migration 0014, issue #18). A budget is shared by every
// step of a run through the database, so concurrent steps — separate processes on Windmill — stop
// together at exactly max_requests; a backfill stopped by the quota or by its budget is remembered
// until a scheduled run of its source has continued it to the end.
import type { Sql } from "../db/resource.ts";
import { QuotaExceeded, RequestBudgetSpent } from "../sources/errors.ts";

export type StopReason = "budget" | "quota";

export interface RequestBudget {
  budget_id: string;
  run_id: string;
  max_requests: number | null;
  used: number;
  stopped: StopReason | null;
  continues: string | null;
}

export async function openBudget(
  sql: Sql,
  b: { budgetId: string; runId: string; source: string; maxRequests: number | null; continues?: string; coversRest?: boolean; partitions?: number },
): Promise<void> {
  await sql`
    insert into ops.request_budgets (budget_id, run_id, source, max_requests, continues, covers_rest, partitions)
    values (${b.budgetId}, ${b.runId}, ${b.source}, ${b.maxRequests}, ${b.continues ?? null}, ${b.coversRest ?? false}, ${b.partitions ?? 0})
    on conflict (budget_id) do nothing`;
}

export async function budgetOf(sql: Sql, budgetId: string): Promise<RequestBudget | null> {
  const [b] = await sql<RequestBudget[]>`
    select budget_id, run_id, max_requests, used, stopped, continues from ops.request_budgets where budget_id = ${budgetId}`;
  return b ?? null;
}

/**
 * Take one request from the budget, or refuse: RequestBudgetSpent when it is spent, QuotaExceeded
 * when another step of the run met the key's quota. One UPDATE: the row lock orders concurrent takers.
 */
export async function takeRequest(sql: Sql, budgetId: string, keyVariable: string): Promise<void> {
  const taken = await sql`
    update ops.request_budgets set used = used + 1
    where budget_id = ${budgetId} and stopped is null and (max_requests is null or used < max_requests)
    returning used`;
  if (taken.length > 0) return;
  const [b] = await sql<{ stopped: StopReason; max_requests: number | null; used: number }[]>`
    update ops.request_budgets set stopped = coalesce(stopped, 'budget') where budget_id = ${budgetId}
    returning stopped, max_requests, used`;
  if (b?.stopped === "quota") throw new QuotaExceeded(keyVariable);
  throw new RequestBudgetSpent(b?.max_requests ?? b?.used ?? 0);
}

/**
 * A step met the quota or its budget: the budget says so (steps still starting stop without a
 * request), and the backfill is remembered as unfinished — the run's own, or the one a continuation
 * chunk continues, whose stop moves to now so that it waits for the next day.
 */
export async function recordStop(
  sql: Sql,
  s: { runId: string; source: string; budgetId: string | null; continues: string | null; reason: StopReason },
): Promise<void> {
  if (s.budgetId) await sql`update ops.request_budgets set stopped = coalesce(stopped, ${s.reason}) where budget_id = ${s.budgetId}`;
  if (s.continues) {
    await sql`update ops.unfinished_backfills set stopped_by = ${s.reason}, stopped_at = ops.clock_now() where run_id = ${s.continues}`;
    return;
  }
  await sql`
    insert into ops.unfinished_backfills (run_id, source, inputs, max_requests, stopped_by, stopped_at)
    select r.run_id, ${s.source}, r.inputs, b.max_requests, ${s.reason}, ops.clock_now()
    from ops.runs r left join ops.request_budgets b on b.budget_id = r.run_id
    where r.run_id = ${s.runId} and r.flow = 'backfill'
    on conflict (run_id) do update set stopped_by = excluded.stopped_by, stopped_at = excluded.stopped_at`;
}

export interface UnfinishedBackfill {
  run_id: string;
  inputs: Record<string, unknown>;
  max_requests: number | null;
}

/**
 * Unfinished backfills of a source neither stopped nor continued today (KST), oldest first, each
 * marked continued now: a day's quota, or a backfill's share of it, is spent once.
 */
export async function takeBackfillsToContinue(sql: Sql, source: string): Promise<UnfinishedBackfill[]> {
  return sql<UnfinishedBackfill[]>`
    with due as (
      select u.run_id from ops.unfinished_backfills u
      where u.source = ${source} and u.finished_at is null
        and (greatest(u.stopped_at, u.continued_at) at time zone 'Asia/Seoul')::date < (ops.clock_now() at time zone 'Asia/Seoul')::date
      for update skip locked
    )
    , taken as (
      update ops.unfinished_backfills u set continued_at = ops.clock_now()
      from due where u.run_id = due.run_id
      returning u.run_id, u.inputs, u.max_requests
    )
    select t.run_id, t.inputs, t.max_requests from taken t left join ops.runs r on r.run_id = t.run_id
    order by r.started_at nulls last, t.run_id`;
}

/** At the end of a run: a continuation that planned all that was left and was not stopped finished its backfill. */
export async function closeContinuations(sql: Sql, runId: string): Promise<void> {
  await sql`
    update ops.unfinished_backfills u set finished_at = ops.clock_now(), finished_by = ${runId}
    from ops.request_budgets b
    where b.run_id = ${runId} and b.continues = u.run_id and b.covers_rest and b.stopped is null and u.finished_at is null`;
}
