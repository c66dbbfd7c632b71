// How the CLI shows runs and their events (the UI renders the same rows its own way).
import dayjs from "dayjs";
import { formatKst, KST } from "../../f/lib/time/kst.ts";
import { renderAligned } from "../cli/table.ts";
import type { StoredRunEvent } from "./events.ts";
import type { RunRow } from "./sql/list_runs.ts";

export function formatDuration(s: number | null): string {
  if (s === null) return "";
  const t = Math.round(s);
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, "0")}s`;
  return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, "0")}m`;
}

export function renderRuns(rows: RunRow[]): string {
  if (rows.length === 0) return "no runs";
  const cols = [
    { name: "run", numeric: false },
    { name: "flow", numeric: false },
    { name: "status", numeric: false },
    { name: "started (KST)", numeric: false },
    { name: "duration", numeric: true },
    { name: "partitions", numeric: true },
    { name: "failed", numeric: true },
    { name: "rows", numeric: true },
    { name: "error", numeric: false },
  ];
  const body = rows.map((r) => [
    r.run_id,
    r.flow,
    r.status === "running" && r.cancel_requested ? "cancelling" : r.status,
    formatKst(r.started_at),
    formatDuration(r.duration_s),
    String(r.partitions_ok + r.partitions_failed),
    String(r.partitions_failed),
    String(r.rows),
    (r.error ?? "").replace(/\s+/g, " ").slice(0, 80),
  ]);
  return renderAligned(cols, body);
}

export function renderEvent(e: StoredRunEvent): string {
  const time = dayjs(e.at).tz(KST).format("YYYY-MM-DD HH:mm:ss");
  const where = e.step ? ` ${e.step}${e.iteration !== null ? `[${e.iteration}]` : ""}` : "";
  return `${time}  ${e.level.padEnd(5)} ${e.kind.padEnd(16)}${where}  ${e.message}`;
}
