// A run report as notify_slack reads it: a successful KOSPO backfill of one day, for tests to change.
import type { RunReport } from "../../f/lib/store/run_report.ts";

export function reportFixture(over: Partial<RunReport> = {}): RunReport {
  return {
    run_id: "run-1",
    flow: "backfill",
    tls_insecure: false,
    status: "success",
    assets: [
      { asset: "kospo/hourly", success: 18, empty: 0, failed: 0, rows: 432, blocked: 0 },
      { asset: "kospo/raw", success: 18, empty: 0, failed: 0, rows: 18, blocked: 0 },
    ],
    failures: [],
    failed_total: 0,
    failed_partitions: 0,
    started_at: "2024-06-11 00:30:00+00",
    finished_at: "2024-06-11 00:33:12+00",
    engine: "local",
    inputs: { source: "kospo", start: "2024-06-01", end: "2024-06-01", plant: "", unit: 0, policy: "missing", slack: true },
    plan: { source: "kospo", asset: "kospo/hourly", start: "2024-06-01", end: "2024-06-01", policy: "missing", partitions: 18, chunks: 18 },
    error: null,
    duration_s: 192,
    started_kst: "2024-06-11 09:30",
    checks: { failed: 0, top: [] },
    ...over,
  };
}
