// The figures of the README "Guarantees" section, produced by the reliability suites themselves.
// Each suite writes its tallies to tests/reliability/results/<suite>.json (committed; rewritten only
// when a figure changes) and renderGuarantees() turns every results file into the README section
// between the markers. tests/reliability/guarantees_readme.test.ts fails when the README differs.
// Run `npx tsx tests/reliability/render_guarantees.ts` to rewrite the README section.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const RESULTS_DIR = join(import.meta.dirname, "results");
export const START_MARKER = "<!-- guarantees:start -->";
export const END_MARKER = "<!-- guarantees:end -->";

export interface GuaranteeLine {
  /** What holds, in one sentence. */
  claim: string;
  /** The test file and test name that back it. */
  test: string;
  /** Scenarios this line adds to the counts (0 for a line that scans the scenarios of the others). */
  scenarios: number;
  rowsLost: number;
  rowsDuplicated: number;
  secretsLeaked: number;
}

export interface SuiteResults {
  suite: string; // file stem, e.g. "source_faults"
  title: string;
  order: number;
  lines: GuaranteeLine[];
  scenarioNames: string[];
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
    "_Generated from `tests/reliability/results/*.json`, which the reliability suites write; " +
      "`tests/reliability/guarantees_readme.test.ts` fails when this section differs. " +
      "Re-render with `npx tsx tests/reliability/render_guarantees.ts`._",
    "",
  );
  const total = (k: keyof Pick<GuaranteeLine, "scenarios" | "rowsLost" | "rowsDuplicated" | "secretsLeaked">, r: SuiteResults[]) =>
    r.reduce((n, s) => n + s.lines.reduce((m, l) => m + l[k], 0), 0);
  out.push("| suite | scenarios | rows lost | rows duplicated | secrets leaked |", "|---|---:|---:|---:|---:|");
  for (const s of results) {
    out.push(`| ${s.title} | ${total("scenarios", [s])} | ${total("rowsLost", [s])} | ${total("rowsDuplicated", [s])} | ${total("secretsLeaked", [s])} |`);
  }
  out.push(`| **all** | ${total("scenarios", results)} | ${total("rowsLost", results)} | ${total("rowsDuplicated", results)} | ${total("secretsLeaked", results)} |`, "");
  for (const s of results) {
    out.push(`**${s.title}** (\`tests/reliability/${s.suite}.test.ts\`)`, "");
    for (const l of s.lines) {
      out.push(
        `- ${l.claim} — ${l.scenarios ? `${l.scenarios} scenarios; ` : ""}rows lost ${l.rowsLost}, rows duplicated ${l.rowsDuplicated}, secrets leaked ${l.secretsLeaked}. ` +
          `Test: \`${l.test}\`.`,
      );
    }
    out.push("");
  }
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

/** How many times any of the secrets (and its URL-encoded form) occurs in the texts. */
export function countSecrets(texts: Iterable<string>, secrets: string[]): { count: number; where: string[] } {
  const forms = [...new Set(secrets.flatMap((s) => [s, encodeURIComponent(s), encodeURIComponent(encodeURIComponent(s))]))].filter((s) => s.length >= 6);
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
