// §9 The local UI: the asset page (/asset?key=…) — the real Hono app of src/ui, every query and the
// HTML — over an asset with 1,000,000 partitions (100 units × 10,000 days, the §3 synthesis), for
// a 31-day window (the page's default: 3,100 cells) and a 92-day one, median of several renders.
import { performance } from "node:perf_hooks";
import { addDays } from "../../f/lib/time/kst.ts";
import { statusCounts } from "../../f/lib/store/status_counts.ts";
import { createUiApp } from "../../src/ui/server/app.ts";
import type { UiContext } from "../../src/ui/server/context.ts";
import { partitionGrid } from "../../src/ui/sql/partition_grid.ts";
import { median, type BenchContext } from "../lib/context.ts";
import { fmt, judge, round, type Figure, type Metric, type SectionResult } from "../lib/report.ts";
import { benchHourly, benchRaw, START, synthesize } from "./planner.ts";

const REPEATS = 7;
const TARGET_S = 0.3;

export async function uiSection(ctx: BenchContext): Promise<SectionResult> {
  const t0 = performance.now();
  const units = ctx.quick ? 20 : 100;
  const days = 10_000;
  const total = units * days;
  const last = addDays(START, days - 1);
  const db = await ctx.server.createDb("ui");
  const sql = db.pool(6, "bench-ui");
  const stop = new AbortController();
  try {
    ctx.progress(`§9 ui: synthesizing ${total.toLocaleString("en-US")} partitions (${units} units × ${days} days)…`);
    const synth = await synthesize(sql, units, days);
    const dims = Array.from({ length: units }, (_, i) => ({ key: `U${String(i).padStart(3, "0")}`, from: null }));
    const ui: UiContext = {
      sql,
      assets: [benchRaw, benchHourly],
      dimKeys: async (a) => (a.key.startsWith("bench/") ? dims : null),
      token: "bench",
      launcher: null,
      stop: stop.signal,
      log: (l) => ctx.progress(`  ${l}`),
      redact: (s) => s,
    };
    const app = createUiApp(ui, { port: () => null, statics: new Map() });
    const render = async (span: number) => {
      const a = performance.now();
      const res = await app.request(`http://127.0.0.1/asset?key=${encodeURIComponent(benchHourly.key)}&end=${last}&span=${span}`);
      const body = await res.text();
      const s = (performance.now() - a) / 1000;
      if (res.status !== 200) throw new Error(`asset page answered ${res.status}: ${body.slice(0, 300)}`);
      return { s, bytes: Buffer.byteLength(body), cells: body.split("data-partition=").length - 1 };
    };
    const first = await render(31);
    const times31: number[] = [];
    const times92: number[] = [];
    let page31 = first;
    let page92 = first;
    for (let i = 0; i < REPEATS; i++) {
      page31 = await render(31);
      times31.push(page31.s);
      page92 = await render(92);
      times92.push(page92.s);
    }
    // Where the time goes: the two window queries alone.
    const q = { asset: benchHourly, start: addDays(last, -30), end: last, dims };
    const statusT: number[] = [];
    const gridT: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      let a = performance.now();
      await statusCounts(sql, q);
      statusT.push((performance.now() - a) / 1000);
      a = performance.now();
      await partitionGrid(sql, q);
      gridT.push((performance.now() - a) / 1000);
    }
    const s31 = median(times31);
    const s92 = median(times92);
    ctx.progress(`  asset page: 31 days ${fmt(s31, 3)} s, 92 days ${fmt(s92, 3)} s (median of ${REPEATS})`);
    const metrics: Metric[] = [
      {
        id: "ui.asset_page_1m",
        what: `asset page (31 days × ${units} units = ${page31.cells.toLocaleString("en-US")} cells) of an asset with ${total.toLocaleString("en-US")} partitions`,
        figure: { value: round(s31, 3), unit: "s" },
        comparison: { what: "target", value: TARGET_S, unit: "s" },
        ratio: round(s31 / TARGET_S, 3),
        target: `< ${TARGET_S} s`,
        status: judge(s31, "<", TARGET_S),
        note: `${Math.round(page31.bytes / 1024)} kB of HTML`,
      },
    ];
    const figures: Figure[] = [
      { id: "ui.asset_page_92d", what: `asset page, 92 days × ${units} units (${page92.cells.toLocaleString("en-US")} cells)`, figure: { value: round(s92, 3), unit: "s" }, comparison: { what: "31 days", value: round(s31, 3), unit: "s" }, ratio: round(s92 / s31, 2), note: `${Math.round(page92.bytes / 1024)} kB of HTML` },
      { id: "ui.asset_page_first", what: "asset page, first render (cold caches)", figure: { value: round(first.s, 3), unit: "s" }, comparison: null, ratio: null },
      { id: "ui.status_counts_31d", what: "of which statusCounts over the window (median)", figure: { value: round(median(statusT), 3), unit: "s" }, comparison: { what: "page", value: round(s31, 3), unit: "s" }, ratio: round(median(statusT) / s31, 2) },
      { id: "ui.partition_grid_31d", what: "of which the grid query over the window (median)", figure: { value: round(median(gridT), 3), unit: "s" }, comparison: { what: "page", value: round(s31, 3), unit: "s" }, ratio: round(median(gridT) / s31, 2) },
    ];
    return {
      id: "ui",
      title: "§9 Local UI: the asset page",
      measured: `GET /asset?key=bench/hourly&end=${last}&span=31 (and span=92) through the UI's real Hono app in process (app.request: routing, every query of the page, the HTML), over the §3 synthesis: ${total.toLocaleString("en-US")} partitions, ${units} units × ${days.toLocaleString("en-US")} days; median of ${REPEATS} renders after a first one.`,
      seconds: (performance.now() - t0) / 1000,
      metrics,
      figures,
      profile: [`statusCounts ${fmt(median(statusT), 3)} s and the grid query ${fmt(median(gridT), 3)} s of the ${fmt(s31, 3)} s page (they run concurrently, with the check and filled-hour queries)`],
      notes: [`Synthesized ops.asset_partitions rows: ${Object.entries(synth).map(([k, v]) => `${k} ${v}`).join(", ")}.`],
      details: { times_31d_s: times31, times_92d_s: times92, status_counts_s: statusT, partition_grid_s: gridT, html_bytes: { d31: page31.bytes, d92: page92.bytes } },
    };
  } finally {
    stop.abort();
    await sql.end({ timeout: 5 });
    await db.drop();
  }
}
