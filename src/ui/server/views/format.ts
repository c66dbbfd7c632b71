// Small formatting helpers shared by the pages (times in KST, durations, counts).
import { formatKst } from "../../../../f/lib/time/kst.ts";
import { formatDuration } from "../../../runs/render.ts";
import { html, type Html } from "../html.ts";

export const kst = (d: Date | string | null | undefined): string => (d ? formatKst(new Date(d)) : "");
export const duration = formatDuration;
export const count = (n: number): string => n.toLocaleString("en-US");
export const qs = (params: Record<string, string | number | undefined | null>): string =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== null && e[1] !== "").map(([k, v]) => [k, String(v)])).toString();

export const assetHref = (key: string, extra: Record<string, string | number | undefined> = {}): string => `/asset?${qs({ key, ...extra })}`;
export const partitionHref = (asset: string, key: string): string => `/partition?${qs({ asset, key })}`;
export const runHref = (runId: string): string => `/runs/${encodeURIComponent(runId)}`;

/** A run status (or partition status) as a coloured badge. */
export function badge(status: string, attrs: Html | string = ""): Html {
  return html`<span class="badge b-${status.replace(/[^a-z_]/g, "")}" ${attrs}>${status}</span>`;
}
