/// <reference lib="dom" />
// The run page's live event log: new events arrive over server-sent events and are appended as
// rows; the status badge follows the run; the stream is closed once the run has ended.
import type { EventView } from "../event_view.ts";

const table = document.querySelector<HTMLTableElement>("[data-run-log]");
if (table && table.dataset.running === "1") {
  const body = table.tBodies[0];
  const badge = document.querySelector<HTMLElement>("[data-run-status]");
  const note = document.querySelector<HTMLElement>("[data-live-note]");
  let after = Number(table.dataset.after ?? "0");
  const source = new EventSource(`/runs/${encodeURIComponent(table.dataset.runId ?? "")}/events?after=${after}`);

  source.addEventListener("log", (m) => {
    const e = JSON.parse((m as MessageEvent<string>).data) as EventView;
    if (e.id <= after) return;
    after = e.id;
    const tr = document.createElement("tr");
    tr.className = `lv-${e.level} live`;
    tr.dataset.eventId = String(e.id);
    tr.dataset.kind = e.kind;
    for (const text of [e.at, e.level, e.kind, e.step, e.message]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    body.append(tr);
  });

  source.addEventListener("status", (m) => {
    const { status } = JSON.parse((m as MessageEvent<string>).data) as { status: string };
    if (badge) {
      badge.textContent = status;
      badge.className = `badge b-${status.replace(/[^a-z_]/g, "")}`;
      badge.dataset.runStatus = status;
    }
    if (status !== "running") document.querySelector(".cancel-form")?.remove();
  });

  source.addEventListener("end", (m) => {
    source.close();
    const { summary } = JSON.parse((m as MessageEvent<string>).data) as { summary: string | null };
    const line = document.querySelector<HTMLElement>("[data-run-summary]");
    if (line && summary) line.textContent = summary;
    if (note) note.textContent = "the run has ended";
  });
}
