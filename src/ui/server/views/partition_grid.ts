// The partition grid: one row per unit (plant unit, station, or the whole partition), one column
// per day or month; each cell coloured by status, shaded by its share of filled hours, marked when
// checks fail, and linked to its partition page.
import type { PartitionStatus } from "../../../../f/lib/store/partition_states.ts";
import { html, type Html } from "../html.ts";
import { partitionHref } from "./format.ts";

/** `partial`: loaded from a download made before the period was final (KOEN); `none`: not expected (before the unit's first day). */
export type CellStatus = PartitionStatus | "partial" | "none";

export interface CellView {
  partition: string | null;
  status: CellStatus;
  filled?: { filled: number; hours: number; expected: number; unfilled: number };
  checks?: { failing: number; error: boolean; names: string[] };
}

export interface GridRowView {
  label: string;
  cells: CellView[];
}

/** Filled share → one of five shades (class f0..f4), so the page needs no inline styles. */
function fillClass(f: CellView["filled"]): string {
  if (!f || f.filled === 0) return "f0";
  const share = f.filled / Math.max(1, f.expected);
  return share < 0.05 ? "f1" : share < 0.15 ? "f2" : share < 0.3 ? "f3" : "f4";
}

function cellTitle(time: string, row: string, c: CellView): string {
  const parts = [`${time} ${row}: ${c.status === "none" ? "not expected (before the unit's first day)" : c.status}`];
  if (c.filled) parts.push(`${c.filled.hours} of ${c.filled.expected} h stored, ${c.filled.filled} h filled${c.filled.unfilled ? `, ${c.filled.unfilled} h without a value` : ""}`);
  if (c.checks) parts.push(`${c.checks.failing} failing check result${c.checks.failing === 1 ? "" : "s"}: ${c.checks.names.join(", ")}`);
  return parts.join(" · ");
}

export function partitionGridView(asset: string, times: string[], rows: GridRowView[], monthly: boolean): Html {
  const head = times.map((t, i) => {
    const label = monthly ? t.slice(2, 7) : t.slice(8, 10);
    const mark = !monthly && (i === 0 || t.endsWith("-01")) ? html`<span class="m">${t.slice(5, 7)}</span>` : "";
    return html`<th scope="col" title="${t}">${mark}${label}</th>`;
  });
  const body = rows.map(
    (r) => html`<tr><th scope="row">${r.label}</th>${r.cells.map((c, i) => {
      const cls = `c st-${c.status} ${fillClass(c.filled)}${c.checks ? (c.checks.error ? " ck-e" : " ck-w") : ""}`;
      const title = cellTitle(times[i], r.label, c);
      return c.partition && c.status !== "none"
        ? html`<td class="${cls}" data-partition="${c.partition}" data-status="${c.status}" title="${title}"><a href="${partitionHref(asset, c.partition)}" aria-label="${title}"></a></td>`
        : html`<td class="${cls}" title="${title}"></td>`;
    })}</tr>`,
  );
  return html`<div class="grid-wrap"><table class="partition-grid${monthly ? " monthly" : ""}"><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

export const GRID_LEGEND: { status: CellStatus; label: string }[] = [
  { status: "materialized", label: "materialized" },
  { status: "partial", label: "partial (loaded before the period was final)" },
  { status: "stale", label: "stale (code or upstream changed)" },
  { status: "failed", label: "failed" },
  { status: "missing", label: "missing" },
  { status: "none", label: "not expected" },
];

export function gridLegend(): Html {
  return html`<ul class="legend">${GRID_LEGEND.map((l) => html`<li><span class="sw st-${l.status}"></span>${l.label}</li>`)}<li><span class="sw st-materialized f3"></span>darker: more hours filled</li><li><span class="sw st-materialized ck-e"></span>failing checks (corner)</li></ul>`;
}
