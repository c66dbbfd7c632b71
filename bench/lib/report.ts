// Results of a benchmark run: metrics with a target (PASS/MISS), supporting figures without one,
// a profile summary where a target was missed; printed as tables and written as JSON.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Machine } from "./server.ts";

export type Status = "PASS" | "MISS";

export interface Quantity {
  value: number;
  unit: string;
}

/** A figure, what it is compared with in the same run, and their ratio. */
export interface Figure {
  id: string;
  what: string;
  figure: Quantity;
  comparison: (Quantity & { what: string }) | null;
  /** figure ÷ comparison unless `ratio_meaning` says otherwise. */
  ratio: number | null;
  ratio_meaning?: string;
  note?: string;
}

export interface Metric extends Figure {
  /** Human-readable target, e.g. "≥ 0.6 × COPY". */
  target: string;
  status: Status;
}

export interface SectionResult {
  id: string;
  title: string;
  measured: string;
  seconds: number;
  metrics: Metric[];
  figures: Figure[];
  /** Where the time (or memory) goes; printed when a metric missed. */
  profile: string[];
  notes: string[];
  details?: Record<string, unknown>;
  /** 1-minute load average when the section started and ended: other work on a shared machine shows here. */
  load_avg?: { start: number; end: number };
  /** CPU seconds of this process (incl. simulators) and of the benchmark's PostgreSQL during the section. */
  cpu_s?: { node: number; pg: number };
}

export interface BenchResults {
  generated_at: string;
  command: string;
  mode: "full" | "quick";
  options: { only: string[]; memory_chunks: number };
  sections_run: string[];
  machine: Machine;
  summary: { pass: number; miss: number; seconds: number };
  sections: SectionResult[];
}

export function judge(value: number, op: "≥" | "≤" | "<" | "=", target: number): Status {
  switch (op) {
    case "≥":
      return value >= target ? "PASS" : "MISS";
    case "≤":
      return value <= target ? "PASS" : "MISS";
    case "<":
      return value < target ? "PASS" : "MISS";
    case "=":
      return value === target ? "PASS" : "MISS";
  }
}

export function fmt(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || Number.isNaN(n)) return "—";
  const abs = Math.abs(n);
  if (abs >= 100_000) return Math.round(n).toLocaleString("en-US");
  if (abs >= 1000) return Math.round(n).toLocaleString("en-US");
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  return n.toFixed(digits);
}

const q = (x: Quantity | null) => (x ? `${fmt(x.value)} ${x.unit}`.trim() : "—");

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? "").padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function sectionTable(s: SectionResult): string {
  const rows = [
    ...s.metrics.map((m) => [m.what, q(m.figure), m.comparison ? `${q(m.comparison)} (${m.comparison.what})` : "—", m.ratio === null ? "—" : `${fmt(m.ratio)}×`, m.target, m.status]),
    ...s.figures.map((f) => [f.what, q(f.figure), f.comparison ? `${q(f.comparison)} (${f.comparison.what})` : "—", f.ratio === null ? "—" : `${fmt(f.ratio)}×`, "", ""]),
  ];
  return table(["measure", "figure", "comparison", "ratio", "target", "status"], rows);
}

/** A warning when other work kept the machine busy: wall-time ratios are then unreliable. */
export function loadWarning(s: SectionResult, cores: number): string | null {
  if (!s.load_avg) return null;
  const peak = Math.max(s.load_avg.start, s.load_avg.end);
  if (peak <= cores * 1.5) return null;
  return `the machine was shared: load average ${fmt(s.load_avg.start, 1)} → ${fmt(s.load_avg.end, 1)} on ${cores} cores. Wall-time figures (and PASS/MISS judged on them) move with that load from one phase to the next; the CPU-time figures are the steadier comparison.`;
}

export function printSection(s: SectionResult, out: (line: string) => void, cores = 0): void {
  out("");
  const load =
    (s.load_avg ? `, load average ${fmt(s.load_avg.start, 1)} → ${fmt(s.load_avg.end, 1)}` : "") +
    (s.cpu_s ? `, CPU: Node ${fmt(s.cpu_s.node, 1)} s, PostgreSQL ${fmt(s.cpu_s.pg, 1)} s` : "");
  out(`━━ ${s.title} (${fmt(s.seconds, 1)} s${load})`);
  out(`   ${s.measured}`);
  out("");
  for (const l of sectionTable(s).split("\n")) out(`   ${l}`);
  for (const n of s.notes) out(`   · ${n}`);
  const warning = cores ? loadWarning(s, cores) : null;
  if (warning) out(`   ! ${warning}`);
  if (s.metrics.some((m) => m.status === "MISS") && s.profile.length) {
    out("");
    out("   Where the time goes (profile summary):");
    for (const l of s.profile) out(`     ${l}`);
  }
}

export function summaryTable(r: BenchResults): string {
  const rows = r.sections.flatMap((s) =>
    s.metrics.map((m) => [s.id, m.what, q(m.figure), m.comparison ? q(m.comparison) : "—", m.ratio === null ? "—" : `${fmt(m.ratio)}×`, m.target, m.status]),
  );
  return table(["section", "metric", "figure", "comparison", "ratio", "target", "status"], rows);
}

export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB RAM, ${m.os}, Node ${m.node}, ${m.postgresql}`;
}

export function writeResults(path: string, r: BenchResults): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(r, null, 2)}\n`);
}

export const round = (n: number, digits = 3): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** The metrics as a Markdown table, with the machine, for docs/BENCH.md. */
export function markdownSummary(r: BenchResults): string {
  const cell = (x: string) => x.replace(/\|/g, "\\|");
  const lines = [
    `Run ${r.generated_at} (\`${r.command}\`, ${r.summary.seconds} s): ${r.summary.pass} PASS, ${r.summary.miss} MISS.`,
    `Machine: ${machineLine(r.machine)}; load average at start ${(r.machine.load_avg_at_start ?? []).join(" / ")} (1/5/15 min).`,
    "",
    "| § | metric | figure | comparison | ratio | target | status |",
    "|---|---|---|---|---|---|---|",
    ...r.sections.flatMap((s) =>
      s.metrics.map((m) =>
        `| ${s.id} | ${cell(m.what)} | ${q(m.figure)} | ${m.comparison ? cell(`${q(m.comparison)} (${m.comparison.what})`) : "—"} | ${m.ratio === null ? "—" : `${fmt(m.ratio)}×`} | ${cell(m.target)} | **${m.status}** |`,
      ),
    ),
    "",
    "Supporting figures:",
    "",
    "| § | figure | value | comparison | ratio |",
    "|---|---|---|---|---|",
    ...r.sections.flatMap((s) =>
      s.figures.map((f) => `| ${s.id} | ${cell(f.what)} | ${q(f.figure)} | ${f.comparison ? cell(`${q(f.comparison)} (${f.comparison.what})`) : "—"} | ${f.ratio === null ? "—" : `${fmt(f.ratio)}×`} |`),
    ),
    "",
    ...r.sections.map((s) => `- ${s.title}: ${fmt(s.seconds, 0)} s${s.load_avg ? `, load average ${fmt(s.load_avg.start, 1)} → ${fmt(s.load_avg.end, 1)}` : ""}${s.cpu_s ? `, CPU Node ${fmt(s.cpu_s.node, 0)} s + PostgreSQL ${fmt(s.cpu_s.pg, 0)} s` : ""}.`),
  ];
  return lines.join("\n");
}
