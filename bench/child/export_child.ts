// Child process of the export benchmark: runs the real export (f/lib/export, as `pvpipe export`
// does) into a file and prints one JSON line with its rows, time and peak memory. Arguments on
// stdin (they include the database password). `idle` only loads the same modules.
import { performance } from "node:perf_hooks";
import { connect, type PgResource } from "../../f/lib/db/resource.ts";
import type { ExportFormat } from "../../f/lib/export/columns.ts";
import { planOutput } from "../../f/lib/export/output.ts";
import { exportToFile } from "../../f/lib/export/run.ts";

interface ChildArgs {
  idle?: boolean;
  db: PgResource;
  start: string;
  end: string;
  format: ExportFormat;
  out: string;
}

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const args = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as ChildArgs;
let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};
const timer = setInterval(sample, 50);
const timeline: { s: number; rss_mb: number }[] = [];
const t00 = Date.now();
const tl = setInterval(() => timeline.push({ s: Math.round((Date.now() - t00) / 1000), rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20) }), 2000);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let out: Record<string, unknown> = {};
if (!args.idle) {
  const sql = connect(args.db, { max: 2 });
  try {
    const paths = planOutput(args.out, "x", { force: true, cwd: process.cwd() });
    const r = await exportToFile(sql, { dataset: "pv_weather", start: args.start, end: args.end, filter: { plants: [], units: [], stations: [] }, format: args.format, measuredOnly: false, bom: true, command: "bench" }, paths);
    out = { rows: r.rows, bytes: r.bytes, units: r.units };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
clearInterval(timer);
clearInterval(tl);
sample();
const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
console.log(JSON.stringify({ ...out, seconds, cpu_s: (cpu.user + cpu.system) / 1e6, max_rss_mb: mb(process.resourceUsage().maxRSS * 1024), sampled_peak_rss_mb: mb(peakRss), peak_heap_used_mb: mb(peakHeap), timeline }));
process.exit(0);
