// `pvpipe runs`, `pvpipe logs RUN_ID [--follow]`, `pvpipe cancel RUN_ID`: the run history, a
// run's event log (followed while it runs) and stopping a run from any process.
import type { CliContext } from "./context.ts";
import { dbUrlOption } from "../shared_options.ts";
import type { Command } from "commander";
import { Option } from "commander";
import { z } from "zod";
import { shutdownSignal } from "../../../f/lib/runtime/shutdown.ts";
import type { Pool } from "../../../f/lib/db/resource.ts";
import { FLOW_IDS } from "../../../flows/flow_ids.ts";
import { UsageError } from "../../config/errors.ts";
import { closeLostRuns } from "../../runs/reap.ts";
import { renderEvent, renderRuns } from "../../runs/render.ts";
import { eventsAfter } from "../../runs/sql/events_after.ts";
import { findRun } from "../../runs/sql/find_run.ts";
import { listRuns } from "../../runs/sql/list_runs.ts";
import { requestCancel } from "../../runs/sql/request_cancel.ts";
import { withApp } from "../app.ts";
import { parseOptions } from "../options.ts";

const STATUSES = ["running", "success", "partial", "failed", "cancelled"] as const;

const runsOptions = z.object({
  status: z.enum(STATUSES, { message: `--status must be one of ${STATUSES.join(", ")}` }).optional(),
  flow: z.string().trim().min(1).optional(),
  limit: z.coerce.number({ message: "--limit must be a number" }).int("--limit must be a whole number").min(1, "--limit must be at least 1").max(10_000, "--limit must be at most 10000").default(20),
  json: z.boolean().default(false),
  dbUrl: z.string().optional(),
});

export function registerRunCommands(program: Command, { out }: CliContext): void {
  program
    .command("runs")
    .description("Run history, newest first (runs whose engine is gone are closed as failed first)")
    .option("--status <status>", STATUSES.join(" | "))
    .option("--flow <flow>", `one flow: ${FLOW_IDS.join(", ")}, import-legacy`)
    .option("--limit <n>", "how many", "20")
    .option("--json", "JSON output")
    .addOption(dbUrlOption())
    .action(async (raw) => {
      const o = parseOptions(runsOptions, { ...raw, json: Boolean(raw.json) });
      await withApp({ dbUrl: o.dbUrl }, async (app) => {
        const lost = await closeLostRuns(app.sql);
        const rows = await listRuns(app.sql, { status: o.status, flow: o.flow, limit: o.limit });
        if (o.json) out(JSON.stringify(rows));
        else {
          for (const l of lost) process.stderr.write(`run ${l.run_id} (${l.flow}) was still 'running' but its engine is gone: closed as failed (engine lost)\n`);
          out(renderRuns(rows));
        }
      });
    });

  program
    .command("logs <run>")
    .description("A run's event log (run id or a unique prefix); --follow prints new events until the run ends")
    .option("--follow", "keep printing new events until the run ends")
    .option("--json", "one JSON event per line")
    .addOption(dbUrlOption())
    .action(async (id: string, o) => {
      await withApp({ dbUrl: o.dbUrl }, async (app) => {
        const runId = await resolveRun(app.sql, id);
        await closeLostRuns(app.sql);
        await followEvents(app.sql, runId, { follow: Boolean(o.follow), print: (e) => out(o.json ? JSON.stringify(e) : renderEvent(e)) });
      });
    });

  program
    .command("cancel <run>")
    .description("Stop a running run, in whatever process it runs: it ends at its next step boundary as cancelled")
    .addOption(dbUrlOption())
    .action(async (id: string, o) => {
      await withApp({ dbUrl: o.dbUrl }, async (app) => {
        const runId = await resolveRun(app.sql, id);
        await closeLostRuns(app.sql);
        const r = await requestCancel(app.sql, runId, `pvpipe cancel (pid ${process.pid})`);
        if (r.outcome === "not_running") throw new UsageError(`run ${runId} is not running (it ended ${r.status})`);
        out(r.outcome === "requested" ? `cancel requested: run ${runId} stops at its next step boundary (follow it: pvpipe logs ${runId} --follow)` : `cancel was already requested for run ${runId}`);
      });
    });
}

async function resolveRun(sql: Pool, id: string): Promise<string> {
  const found = await findRun(sql, id.trim());
  if (!found) throw new UsageError(`no run ${JSON.stringify(id)} (list them: pvpipe runs)`);
  if ("ambiguous" in found) throw new UsageError(`run id ${JSON.stringify(id)} is ambiguous: ${found.ambiguous.join(", ")}`);
  return found.run_id;
}

/** Print events as they come; with `follow`, until the run has ended and its last events are out. */
async function followEvents(sql: Pool, runId: string, o: { follow: boolean; print: (e: Awaited<ReturnType<typeof eventsAfter>>["events"][number]) => void }): Promise<void> {
  let last = 0;
  let quietAfterEnd = 0;
  for (;;) {
    const { events, status } = await eventsAfter(sql, runId, last);
    for (const e of events) {
      o.print(e);
      last = e.id;
    }
    if (!o.follow || shutdownSignal.aborted) return;
    const ended = events.some((e) => e.kind === "run_finished" || e.kind === "engine_lost");
    if (ended && events.length < 1000) return;
    // A closed run whose engine wrote no closing event (older versions): two quiet reads, then stop.
    if (status !== "running" && events.length === 0 && ++quietAfterEnd >= 2) return;
    await new Promise<void>((r) => {
      const t = setTimeout(r, 500);
      shutdownSignal.addEventListener("abort", () => (clearTimeout(t), r()), { once: true });
    });
  }
}
