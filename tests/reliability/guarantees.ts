// The figures of the README "Guarantees" section are what the reliability suites observe in the
// run. Each suite, once every one of its scenarios has run, calls settleSuite(): the figures must be
// zero (a product change that loses, duplicates or leaks fails the suite right there), and the
// suite's row and block in the README must equal what this run observed (a README that claims more
// than the suite saw fails too). It also writes tests/reliability/results/<suite>.json, from which
// `npx tsx tests/reliability/render_guarantees.ts` rewrites the README section.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

export const RESULTS_DIR = join(import.meta.dirname, "results");
export const README_PATH = join(import.meta.dirname, "..", "..", "README.md");
export const START_MARKER = "<!-- guarantees:start -->";
export const END_MARKER = "<!-- guarantees:end -->";

export interface GuaranteeLine {
  /** What holds, in one sentence. */
  claim: string;
  /** The test file and test name that back it. */
  test: string;
  /** Scenarios this line adds to the counts (0 for a line that scans the scenarios of the others). */
  scenarios: number;
  /** Observed figures; null where the line does not measure it (no rows loaded, nothing scanned). */
  rowsLost: number | null;
  rowsDuplicated: number | null;
  secretsLeaked: number | null;
}

export interface SuiteResults {
  suite: string; // file stem, e.g. "source_faults"
  title: string;
  order: number;
  lines: GuaranteeLine[];
  scenarioNames: string[];
}

type Figure = "scenarios" | "rowsLost" | "rowsDuplicated" | "secretsLeaked";
const sum = (lines: GuaranteeLine[], k: Figure) => lines.reduce((n, l) => n + (l[k] ?? 0), 0);
const fig = (v: number | null) => (v === null ? "—" : String(v));

/** The suite's row of the README table. */
export function renderRow(s: SuiteResults): string {
  return `| ${s.title} | ${sum(s.lines, "scenarios")} | ${sum(s.lines, "rowsLost")} | ${sum(s.lines, "rowsDuplicated")} | ${sum(s.lines, "secretsLeaked")} |`;
}

/** The suite's block of the README section (heading and one bullet per line). */
export function renderBlock(s: SuiteResults): string {
  const out = [`**${s.title}** (\`tests/reliability/${s.suite}.test.ts\`)`, ""];
  for (const l of s.lines) {
    out.push(
      `- ${l.claim} — ${l.scenarios ? `${l.scenarios} scenarios; ` : ""}rows lost ${fig(l.rowsLost)}, rows duplicated ${fig(l.rowsDuplicated)}, secrets leaked ${fig(l.secretsLeaked)}. ` +
        `Test: \`${l.test}\`.`,
    );
  }
  return out.join("\n");
}

/**
 * End of a reliability suite. Always (whenever a scenario ran): every observed figure is zero.
 * When every scenario ran (`complete`): the README shows exactly these figures, and the results
 * file is rewritten for the render script.
 */
export function settleSuite(r: SuiteResults, complete: boolean, opts: { write?: boolean } = {}): void {
  for (const l of r.lines) {
    expect({ claim: l.claim, lost: l.rowsLost ?? 0, duplicated: l.rowsDuplicated ?? 0, leaked: l.secretsLeaked ?? 0 }).toEqual({ claim: l.claim, lost: 0, duplicated: 0, leaked: 0 });
  }
  if (!complete) return;
  if (opts.write !== false) writeSuiteResults(r);
  const section = currentSection(readFileSync(README_PATH, "utf8")) ?? "";
  expect(section.split("\n"), "README row (re-render: npx tsx tests/reliability/render_guarantees.ts)").toContain(renderRow(r));
  expect(section, "README block (re-render: npx tsx tests/reliability/render_guarantees.ts)").toContain(renderBlock(r));
}

/** Write a suite's results; the file changes only when a figure or a name does (no timestamps). */
export function writeSuiteResults(r: SuiteResults): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${r.suite}.json`);
  const text = `${JSON.stringify(r, null, 2)}\n`;
  if (!existsSync(file) || readFileSync(file, "utf8") !== text) writeFileSync(file, text);
}

export function readAllResults(): SuiteResults[] {
  if (!existsSync(RESULTS_DIR)) return [];
  return readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(RESULTS_DIR, f), "utf8")) as SuiteResults)
    .sort((a, b) => a.order - b.order || a.suite.localeCompare(b.suite));
}

/** The README section (markers included). */
export function renderGuarantees(results: SuiteResults[] = readAllResults()): string {
  const out: string[] = [START_MARKER];
  out.push(
    "_Observed by the reliability suites in every test run: each suite fails when a figure is not zero " +
      "or differs from what this section says (`settleSuite` in `tests/reliability/guarantees.ts`). " +
      "Re-render with `npx tsx tests/reliability/render_guarantees.ts` after a full run. — means the line does not measure it._",
    "",
  );
  out.push("| suite | scenarios | rows lost | rows duplicated | secrets leaked |", "|---|---:|---:|---:|---:|");
  for (const s of results) out.push(renderRow(s));
  const all = results.flatMap((s) => s.lines);
  out.push(`| **all** | ${sum(all, "scenarios")} | ${sum(all, "rowsLost")} | ${sum(all, "rowsDuplicated")} | ${sum(all, "secretsLeaked")} |`, "");
  for (const s of results) out.push(renderBlock(s), "");
  out.push(END_MARKER);
  return out.join("\n");
}

/** The README with its guarantees section replaced by `section`. */
export function replaceSection(readme: string, section: string): string {
  const a = readme.indexOf(START_MARKER);
  const b = readme.indexOf(END_MARKER);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START_MARKER} … ${END_MARKER} section`);
  return readme.slice(0, a) + section + readme.slice(b + END_MARKER.length);
}

/** The section currently in the README (markers included), or null. */
export function currentSection(readme: string): string | null {
  const a = readme.indexOf(START_MARKER);
  const b = readme.indexOf(END_MARKER);
  return a < 0 || b < a ? null : readme.slice(a, b + END_MARKER.length);
}

/** Every form a secret can take in text: as is, percent-encoded once or twice (either hex case), base64, JSON-escaped. */
export function secretForms(secret: string): string[] {
  const once = encodeURIComponent(secret);
  const twice = encodeURIComponent(once);
  const lower = (t: string) => t.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
  return [...new Set([secret, once, lower(once), twice, lower(twice), Buffer.from(secret).toString("base64"), JSON.stringify(secret).slice(1, -1).replaceAll("/", "\\/")])].filter(
    (f) => f.length >= 6,
  );
}

/** How many times any of the secrets, in any of its forms, occurs in the texts; where, with the secret masked. */
export function countSecrets(texts: Iterable<string>, secrets: string[]): { count: number; where: string[] } {
  const forms = [...new Set(secrets.flatMap(secretForms))];
  let count = 0;
  const where: string[] = [];
  for (const t of texts) {
    for (const f of forms) {
      const n = t.split(f).length - 1;
      if (n > 0) {
        count += n;
        where.push(t.slice(Math.max(0, t.indexOf(f) - 80), t.indexOf(f) + f.length + 20).replaceAll(f, "<SECRET>"));
      }
    }
  }
  return { count, where };
}
