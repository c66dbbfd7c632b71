// The run message for issue #18: a backfill stopped by its --max-requests reads as a quota-type stop
// whose resume command keeps the budget, and a scheduled run lists the backfills it continued.
import { describe, expect, it } from "vitest";
import { buildMessage, continuedLines } from "../../f/lib/notify/message.ts";
import type { ContinuedBackfill, RunReport } from "../../f/lib/store/run_report.ts";
import { reportFixture } from "../helpers/run_report.ts";

/** A backfill stopped by its --max-requests after 7 requests. */
function report(over: Partial<RunReport> = {}): RunReport {
  return reportFixture({
    status: "failed",
    assets: [{ asset: "kospo/raw", success: 7, empty: 0, failed: 0, rows: 7, blocked: 0 }],
    started_at: "2026-12-06 01:00:00+00",
    finished_at: "2026-12-06 01:00:09+00",
    inputs: { source: "kospo", start: "2024-03-01", end: "2024-03-31", plant: "", unit: 0, policy: "missing", max_requests: 7 },
    plan: { source: "kospo", asset: "kospo/hourly", start: "2024-03-01", end: "2024-03-31", policy: "missing", partitions: 558, chunks: 18 },
    error: "RequestBudgetSpent: the run's request budget of 7 requests (--max-requests) is spent",
    duration_s: 9,
    started_kst: "2026-12-06 10:00",
    ...over,
  });
}

const continued = (over: Partial<ContinuedBackfill>): ContinuedBackfill => ({
  run_id: "b-1", start: "2024-03-01", end: "2024-03-31", plant: null, unit: null, requests: 7, max_requests: 7, partitions: 217, stopped: null, finished: false, ...over,
});

describe("request budgets in the run message", () => {
  it("a budget stop is a quota-type stop; the resume command keeps --max-requests", () => {
    const m = buildMessage({ kind: "failure", engine: { kind: "local" }, report: report(), error: { name: "RequestBudgetSpent", message: "the run's request budget of 7 requests (--max-requests) is spent" } });
    expect(m.alert).toBe("quota");
    expect(m.text).toContain(":no_entry: backfill stopped: its request budget (--max-requests) is spent");
    expect(m.resume).toBe("pvpipe backfill --source kospo --start 2024-03-01 --end 2024-03-31 --policy missing+failed --max-requests 7");
  });

  it("lists each continued backfill: finished, stopped at its budget or by the quota", () => {
    const lines = continuedLines({
      continued: [
        continued({ run_id: "b-1", finished: true, requests: 5 }),
        continued({ run_id: "b-2", plant: "997S", unit: 1, stopped: "budget" }),
        continued({ run_id: "b-3", max_requests: null, requests: 120, stopped: "quota" }),
      ],
    });
    expect(lines).toEqual([
      "continued backfill b-1 2024-03-01 – 2024-03-31: 5 of 7 requests, 217 partitions planned; finished",
      "continued backfill b-2 2024-03-01 – 2024-03-31 (997S unit 1): 7 of 7 requests, 217 partitions planned; stopped at its budget of the day; continues on the next day's scheduled run",
      "continued backfill b-3 2024-03-01 – 2024-03-31: 120 requests, 217 partitions planned; stopped by the data.go.kr quota; continues on the next day's scheduled run",
    ]);
    const m = buildMessage({
      kind: "summary",
      engine: { kind: "local" },
      report: report({ flow: "daily_nambu", status: "success", error: null, inputs: { lookback_days: 8 }, continued: [continued({ finished: true })] }),
    });
    expect(m.text).toContain(`Backfills continued after the run's own days:\n- ${continuedLines({ continued: [continued({ finished: true })] })[0]}`);
    expect(JSON.stringify(m.blocks)).toContain("Backfills continued after the run");
  });

  it("no line when nothing was continued (and reports built elsewhere carry no list)", () => {
    expect(continuedLines({ continued: [] })).toEqual([]);
    expect(continuedLines({})).toEqual([]);
  });
});
