// `npm run bench [-- --quick] [-- --only ingest,planner] [-- --out path.json]`
// Runs the benchmark sections side by side on one embedded PostgreSQL, prints a table per
// section and a summary, and writes the results as JSON. Never part of `npm test`; never fails
// on a missed target (exit code 0 unless the benchmark itself crashed).
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { cpuMeter, type BenchContext } from "./lib/context.ts";
import { machineLine, markdownSummary, printSection, round, summaryTable, writeResults, type BenchResults, type SectionResult } from "./lib/report.ts";
import { startBenchServer } from "./lib/server.ts";
import { backfillSection } from "./sections/backfill.ts";
import { checksSection } from "./sections/checks.ts";
import { exportSection } from "./sections/export.ts";
import { ingestSection } from "./sections/ingest.ts";
import { memorySection } from "./sections/memory.ts";
import { orchestrationSection } from "./sections/orchestration.ts";
import { plannerSection } from "./sections/planner.ts";
import { uiSection } from "./sections/ui.ts";
import { requestsSection } from "./sections/requests.ts";
import { legacySection } from "./sections/legacy.ts";

const SECTIONS: Record<string, (ctx: BenchContext) => Promise<SectionResult>> = {
  ingest: ingestSection,
  backfill: backfillSection,
  planner: plannerSection,
  memory: memorySection,
  orchestration: orchestrationSection,
  checks: checksSection,
  ui: uiSection,
  requests: requestsSection,
  legacy: legacySection,
  export: exportSection,
};

/**
 * §4's backfills do their first N chunks by default (N = 200 ≈ 6.5 months of 31 units), so a full
 * run stays near 10 minutes; 0 runs the 1, 5 and 10 years to the end (≈ 16 unit-years of work).
 */
const DEFAULT_MEMORY_CHUNKS = 200;

const USAGE = `usage: npm run bench [-- --quick] [-- --only ${Object.keys(SECTIONS).join("|")}[,…]] [-- --out file.json]
  --quick   smaller scales (about a tenth of the work), written to bench/results/quick.json
  --only    run only these sections (written to bench/results/partial.json unless --out)
  --out     where to write the JSON (default bench/results/latest.json for a full run)
  --render file.json [--markdown]   print a results file again (or as Markdown)
  --memory-chunks N   stop each §4 backfill after its first N chunks (default ${DEFAULT_MEMORY_CHUNKS}, --quick 90; 0 = run every range to its end)`;

function parseArgs(argv: string[]): { quick: boolean; only: string[]; out: string | null; memoryChunks: number | null } {
  let quick = false;
  let memoryChunks: number | null = null;
  let only: string[] = [];
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") quick = true;
    else if (a === "--only") only = (argv[++i] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    else if (a.startsWith("--only=")) only = a.slice(7).split(",").map((s) => s.trim()).filter(Boolean);
    else if (a === "--out") out = argv[++i] ?? null;
    else if (a === "--memory-chunks") memoryChunks = Number(argv[++i]);
    else if (a === "-h" || a === "--help") {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`unknown argument ${a}\n${USAGE}`);
      process.exit(2);
    }
  }
  for (const s of only) {
    if (!(s in SECTIONS)) {
      console.error(`unknown section "${s}" (known: ${Object.keys(SECTIONS).join(", ")})`);
      process.exit(2);
    }
  }
  if (memoryChunks !== null && !(memoryChunks >= 0)) {
    console.error(`--memory-chunks needs a number of chunks (0 = no limit)`);
    process.exit(2);
  }
  return { quick, only, out, memoryChunks };
}

/** `--render file.json [--markdown]`: print a results file again (tables, or Markdown for docs/BENCH.md). */
function render(argv: string[]): boolean {
  const i = argv.indexOf("--render");
  if (i < 0) return false;
  const file = argv[i + 1];
  if (!file) {
    console.error(`--render needs a results file\n${USAGE}`);
    process.exit(2);
  }
  const r = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  if (argv.includes("--markdown")) {
    print(markdownSummary(r));
    return true;
  }
  print(`pvpipe benchmark — ${r.mode} run — ${r.generated_at}`);
  print(`machine: ${machineLine(r.machine)}`);
  for (const s of r.sections) printSection(s, print, r.machine.cores);
  print("");
  print(`━━ Summary (${r.summary.pass} PASS, ${r.summary.miss} MISS, ${r.summary.seconds} s)`);
  for (const l of summaryTable(r).split("\n")) print(`   ${l}`);
  return true;
}

async function main(): Promise<void> {
  if (render(process.argv.slice(2))) return;
  const args = parseArgs(process.argv.slice(2));
  const names = args.only.length ? args.only : Object.keys(SECTIONS);
  const out =
    args.out ?? join(import.meta.dirname, "results", args.quick ? "quick.json" : args.only.length ? "partial.json" : "latest.json");
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const t0 = performance.now();
  progress(`starting an embedded PostgreSQL for the benchmark…`);
  const server = await startBenchServer(progress);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop().catch(() => undefined);
  };
  process.once("SIGINT", () => {
    void stop().then(() => process.exit(130));
  });
  try {
    const machine = await server.machine();
    print(`pvpipe benchmark — ${args.quick ? "quick" : "full"} run — ${new Date().toISOString()}`);
    print(`machine: ${machineLine(machine)}; load average at start ${loadavg().map((x) => x.toFixed(1)).join(" / ")} (1/5/15 min)`);
    const ctx: BenchContext = { server, quick: args.quick, progress, memoryChunks: args.memoryChunks ?? (args.quick ? 90 : DEFAULT_MEMORY_CHUNKS) };
    const sections: SectionResult[] = [];
    for (const name of names) {
      const loadStart = loadavg()[0];
      const cpu = cpuMeter(server);
      const s = await SECTIONS[name](ctx);
      s.load_avg = { start: round(loadStart, 2), end: round(loadavg()[0], 2) };
      const used = cpu();
      s.cpu_s = { node: used.node, pg: used.pg };
      sections.push(s);
      printSection(s, print, machine.cores);
    }
    const metrics = sections.flatMap((s) => s.metrics);
    const results: BenchResults = {
      generated_at: new Date().toISOString(),
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
      mode: args.quick ? "quick" : "full",
      options: { only: args.only, memory_chunks: ctx.memoryChunks ?? 0 },
      sections_run: names,
      machine,
      summary: {
        pass: metrics.filter((m) => m.status === "PASS").length,
        miss: metrics.filter((m) => m.status === "MISS").length,
        seconds: Math.round((performance.now() - t0) / 100) / 10,
      },
      sections,
    };
    print("");
    print(`━━ Summary (${results.summary.pass} PASS, ${results.summary.miss} MISS, ${results.summary.seconds} s)`);
    for (const l of summaryTable(results).split("\n")) print(`   ${l}`);
    writeResults(out, results);
    print("");
    print(`results written to ${out}`);
  } finally {
    await stop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
