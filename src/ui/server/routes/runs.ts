// Runs: the list (/runs), a run's page with its event log that follows the run live over
// server-sent events (/runs/:id, /runs/:id/events), and Cancel (POST /runs/:id/cancel).
import type { Context, Hono } from "hono";
import { streamSSE } from "hono/streaming";
import dayjs from "dayjs";
import { KST, todayKst } from "../../../../f/lib/time/kst.ts";
import type { StoredRunEvent } from "../../../runs/events.ts";
import { closeLostRuns } from "../../../runs/reap.ts";
import { eventsAfter } from "../../../runs/sql/events_after.ts";
import { findRun } from "../../../runs/sql/find_run.ts";
import { listRuns, type RunRow } from "../../../runs/sql/list_runs.ts";
import { requestCancel } from "../../../runs/sql/request_cancel.ts";
import { pause, type UiContext } from "../context.ts";
import { CorrectTheRequest, PickAnExistingOne } from "../errors.ts";
import { html, type Html } from "../html.ts";
import { eventsParams, parseParams, RUN_STATUSES, runIdParam, runsParams } from "../params.ts";
import { requireSameOrigin } from "../security.ts";
import { badge, count, duration, kst, qs, runHref } from "../views/format.ts";
import { page } from "../views/layout.ts";

import type { EventView } from "../../event_view.ts";


const eventView = (e: StoredRunEvent, redact: (s: string) => string): EventView => ({
  id: e.id,
  at: dayjs(e.at).tz(KST).format("HH:mm:ss"),
  level: e.level,
  kind: e.kind,
  step: e.step ? `${e.step}${e.iteration !== null ? `[${e.iteration}]` : ""}` : "",
  message: redact(e.message),
});

const shownStatus = (r: Pick<RunRow, "status" | "cancel_requested">) => (r.status === "running" && r.cancel_requested ? "cancelling" : r.status);

async function resolveRun(ctx: UiContext, raw: string): Promise<string> {
  const id = parseParams(runIdParam, raw);
  const found = await findRun(ctx.sql, id);
  if (!found) throw new PickAnExistingOne(`no run "${id}"`);
  if ("ambiguous" in found) throw new CorrectTheRequest(`run id "${id}" is ambiguous: ${found.ambiguous.join(", ")}`);
  return found.run_id;
}

function partitionsOf(r: RunRow): string {
  const i = r.inputs as { source?: string; start?: string; end?: string; plant?: string; unit?: number; policy?: string };
  const what = [i.source, i.start && i.end ? `${i.start}..${i.end}` : null, i.plant ? `${i.plant}${i.unit ? `-${i.unit}` : ""}` : null, i.policy].filter(Boolean).join(" ");
  return what;
}

async function runsPage(ctx: UiContext, q: Record<string, string>): Promise<Html> {
  const p = parseParams(runsParams, q);
  await closeLostRuns(ctx.sql);
  const rows = await listRuns(ctx.sql, { status: p.status, flow: p.flow, limit: p.limit });
  const flows = [...new Set(rows.map((r) => r.flow))].sort();
  const body = html`<h1>Runs</h1>
<form class="filters" method="get" action="/runs">
  <label>status <select name="status"><option value="">any</option>${RUN_STATUSES.map((s) => html`<option${s === p.status ? html` selected` : ""}>${s}</option>`)}</select></label>
  <label>flow <input name="flow" value="${p.flow ?? ""}" list="flows" size="14"></label><datalist id="flows">${flows.map((f) => html`<option value="${f}">`)}</datalist>
  <label>show <input name="limit" type="number" min="1" max="1000" value="${p.limit}"></label>
  <button type="submit">filter</button> <a href="/launch">launch a backfill</a>
</form>
${rows.length === 0 ? html`<p>No runs${p.status || p.flow ? " match" : " yet"}.</p>` : html`<table class="data runs"><thead><tr><th>run</th><th>flow</th><th>status</th><th>started (KST)</th><th class="num">duration</th><th>what</th><th class="num">partitions</th><th class="num">failed</th><th class="num">rows</th><th>error</th></tr></thead><tbody>
${rows.map((r) => html`<tr data-run="${r.run_id}"><td><a href="${runHref(r.run_id)}"><code>${r.run_id.slice(0, 8)}</code></a></td><td>${r.flow}</td><td>${badge(shownStatus(r))}</td><td>${kst(r.started_at)}</td><td class="num">${duration(r.duration_s)}</td><td>${partitionsOf(r)}</td><td class="num">${count(r.partitions_ok + r.partitions_failed)}</td><td class="num">${count(r.partitions_failed)}</td><td class="num">${count(r.rows)}</td><td class="err">${ctx.redact((r.error ?? "").slice(0, 160))}</td></tr>`)}
</tbody></table>`}`;
  return page({ title: "Runs", section: "runs", body, today: todayKst() });
}

/** The run's times and counts in one line (sent again when a followed run ends). */
function runSummary(run: RunRow): string {
  return `started ${kst(run.started_at)} KST · ${run.finished_at ? `finished ${kst(run.finished_at)}` : "running"} · ${duration(run.duration_s)} · ${count(run.partitions_ok + run.partitions_failed)} partitions (${count(run.partitions_failed)} failed), ${count(run.rows)} rows · engine ${run.engine}`;
}

function eventRow(e: EventView): Html {
  return html`<tr class="lv-${e.level}" data-event-id="${e.id}" data-kind="${e.kind}"><td>${e.at}</td><td>${e.level}</td><td>${e.kind}</td><td>${e.step}</td><td>${e.message}</td></tr>`;
}

async function runPage(ctx: UiContext, rawId: string): Promise<Html> {
  const runId = await resolveRun(ctx, rawId);
  await closeLostRuns(ctx.sql);
  const [run] = await listRuns(ctx.sql, { runId, limit: 1 });
  if (!run) throw new PickAnExistingOne(`no run "${runId}"`);
  const { events } = await eventsAfter(ctx.sql, runId, 0, 5000);
  const views = events.map((e) => eventView(e, ctx.redact));
  const last = views.at(-1)?.id ?? 0;
  const status = shownStatus(run);
  const canCancel = run.status === "running" && !run.cancel_requested;
  const body = html`<p class="crumbs"><a href="/runs">Runs</a> › run</p>
<h1>${run.flow} <code>${run.run_id}</code></h1>
<p class="summary">${badge(status, html`data-run-status="${status}"`)} <span data-run-summary>${runSummary(run)}</span></p>
${canCancel ? html`<form class="cancel-form" method="post" action="${runHref(run.run_id)}/cancel"><input type="hidden" name="_token" value="${ctx.token}"><button type="submit" class="danger" data-cancel>Cancel run</button> <small>it stops at its next step boundary, as <code>pvpipe cancel</code> does</small></form>` : ""}
${run.error ? html`<div class="error-box" role="alert">${ctx.redact(run.error)}</div>` : ""}
<details><summary>inputs</summary><pre class="payload">${JSON.stringify(run.inputs, null, 2)}</pre></details>
<h2>Event log</h2>
<p class="live-note" data-live-note>${run.status === "running" ? "following the run live" : "the run has ended"}</p>
<table class="data events" data-run-log data-run-id="${run.run_id}" data-after="${last}" data-running="${run.status === "running" ? "1" : "0"}"><thead><tr><th>time (KST)</th><th>level</th><th>event</th><th>step</th><th>message</th></tr></thead>
<tbody>${views.map(eventRow)}</tbody></table>`;
  return page({ title: `run ${run.run_id.slice(0, 8)}`, section: "runs", body, scripts: ["run_log"], today: todayKst() });
}

/** The events after `after`, as they are written, until the run has ended and its last events are out. */
function followRun(ctx: UiContext, c: Context, runId: string, after: number): Response {
  return streamSSE(c, async (stream) => {
    let last = after;
    let shown: string | null = null;
    let sawEnd = false;
    let cancelling = false;
    let quiet = 0;
    const stop = new AbortController();
    stream.onAbort(() => stop.abort());
    ctx.stop.addEventListener("abort", () => stop.abort(), { once: true });
    while (!stop.signal.aborted) {
      const { events, status } = await eventsAfter(ctx.sql, runId, last, 500);
      for (const e of events) {
        await stream.writeSSE({ event: "log", id: String(e.id), data: JSON.stringify(eventView(e, ctx.redact)) });
        last = e.id;
        if (e.kind === "run_finished" || e.kind === "engine_lost") sawEnd = true;
        if (e.kind === "cancel_requested") cancelling = true;
      }
      const now = status === "running" && cancelling ? "cancelling" : (status ?? "unknown");
      if (now !== shown) {
        await stream.writeSSE({ event: "status", data: JSON.stringify({ status: now }) });
        shown = now;
      }
      // Once the run is closed, the events read after its status are all there will be.
      if (status !== "running" && (sawEnd || (events.length === 0 && ++quiet >= 2))) {
        const [run] = await listRuns(ctx.sql, { runId, limit: 1 });
        await stream.writeSSE({ event: "end", data: JSON.stringify({ status, summary: run ? runSummary(run) : null }) });
        return;
      }
      if (events.length < 500) await pause(400, stop.signal);
    }
  }, async (e) => {
    // The database went away mid-stream: the browser's EventSource reconnects from the last id.
    ctx.log(`UI: the live log of run ${runId} stopped: ${ctx.redact(e.message)}`);
  });
}

export function registerRunRoutes(app: Hono, ctx: UiContext): void {
  app.get("/runs", async (c) => c.html(await runsPage(ctx, c.req.query())));
  app.get("/runs/:id", async (c) => c.html(await runPage(ctx, c.req.param("id"))));
  app.get("/runs/:id/events", async (c) => {
    const runId = await resolveRun(ctx, c.req.param("id"));
    // A reconnecting EventSource says which event it saw last.
    const { after } = parseParams(eventsParams, { after: c.req.header("last-event-id") ?? c.req.query("after") });
    return followRun(ctx, c, runId, after);
  });
  app.post("/runs/:id/cancel", async (c) => {
    const form = await c.req.parseBody();
    await requireSameOrigin(c, ctx.token, form);
    const runId = await resolveRun(ctx, c.req.param("id"));
    await closeLostRuns(ctx.sql);
    const r = await requestCancel(ctx.sql, runId, `the UI (pid ${process.pid})`);
    if (r.outcome === "unknown") throw new PickAnExistingOne(`no run "${runId}"`);
    ctx.log(`UI: cancel ${r.outcome === "requested" ? "requested" : r.outcome === "already_requested" ? "already requested" : "refused (not running)"} for run ${runId}`);
    return c.redirect(`${runHref(runId)}?${qs({ cancel: r.outcome })}`, 303);
  });
}
