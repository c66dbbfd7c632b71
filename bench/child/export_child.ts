// Child process of the export benchmark: runs the real export (f/lib/export, as `pvpipe export`
// does) into a file and prints one JSON line with its rows, time and peak memory. Arguments on
// stdin (they include the database password). `idle` only loads the same modules.
import { performance } from "node:perf_hooks";
import { connect, type PgResource } from "../../f/lib/db/resource.ts";
import type { ExportFormat } from "../../f/lib/export/columns.ts";
import { planOutput } from "../../f/lib/export/output.ts";
import { exportToFile } from "../../f/lib/export/run.ts";
import { readChildArgs, watchMemory } from "./child_io.ts";

interface ChildArgs {
  idle?: boolean;
  db: PgResource;
  start: string;
  end: string;
  format: ExportFormat;
  out: string;
}

const args = await readChildArgs<ChildArgs>();
const memory = watchMemory(2000);
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
memory.stop();
const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
console.log(JSON.stringify({ ...out, seconds, cpu_s: (cpu.user + cpu.system) / 1e6, max_rss_mb: mb(process.resourceUsage().maxRSS * 1024), sampled_peak_rss_mb: mb(memory.peak.rss), peak_heap_used_mb: mb(memory.peak.heap), peak_array_buffers_mb: mb(memory.peak.arrayBuffers), peak_young_generation_mb: mb(memory.peak.young), timeline: memory.timeline.map(({ s, rss_mb }) => ({ s, rss_mb })) }));
process.exit(0);
