// Named mutants: the bugs that matter most, as exact edits of the source, each run against the
// tests that should catch it. Stryker (`npm run mutate`) mutates JavaScript; these are the mistakes
// in SQL text and in the guards that JavaScript mutators cannot express. A mutant that no test
// catches fails this script. `--write` puts the table into docs/DEVELOPING.md.
//
//   npx tsx mutate/named.ts [--only ID] [--write]
//
// Refactoring a mutated line? Update its `from`/`to` here: the script refuses a mutant whose
// `from` text is no longer in the file, so the table never silently stops testing something.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NAMED_MUTANTS, type NamedMutant } from "./named_mutants.ts";

const ROOT = join(import.meta.dirname, "..");
const DOC = join(ROOT, "docs", "DEVELOPING.md");
const START = "<!-- mutants:start -->";
const END = "<!-- mutants:end -->";

interface Outcome {
  mutant: NamedMutant;
  caught: boolean;
  by: string[]; // failing tests, "file › name"
}

function apply(m: NamedMutant): () => void {
  const path = join(ROOT, m.file);
  const original = readFileSync(path, "utf8");
  const count = original.split(m.from).length - 1;
  if (count !== (m.occurrences ?? 1)) throw new Error(`${m.id}: expected ${m.occurrences ?? 1} occurrence(s) of its text in ${m.file}, found ${count}`);
  writeFileSync(path, original.replaceAll(m.from, m.to));
  return () => writeFileSync(path, original);
}

function runTests(m: NamedMutant): { failed: string[]; ran: number } {
  const dir = mkdtempSync(join(tmpdir(), "pvpipe-mutant-"));
  const out = join(dir, "r.json");
  try {
    spawnSync("npx", ["vitest", "run", ...m.tests, ...(m.testName ? ["-t", m.testName] : []), "--reporter=json", `--outputFile=${out}`], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "ignore"],
      env: { ...process.env },
    });
    const r = JSON.parse(readFileSync(out, "utf8")) as { numTotalTests: number; testResults: { name: string; assertionResults: { fullName: string; status: string }[]; status: string; message?: string }[] };
    const failed = r.testResults.flatMap((f) => {
      const file = f.name.slice(ROOT.length + 1);
      const tests = f.assertionResults.filter((a) => a.status === "failed").map((a) => `${file} › ${a.fullName}`);
      return tests.length ? tests : f.status === "failed" ? [`${file} (${(f.message ?? "suite failed").split("\n")[0].slice(0, 80)})`] : [];
    });
    return { failed, ran: r.numTotalTests };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function table(outcomes: Outcome[]): string {
  const rows = outcomes.map(({ mutant: m, caught, by }) => `| ${m.description} | \`${m.file}\` | ${caught ? `${by[0].replaceAll("|", "\\|")}${by.length > 1 ? ` (+${by.length - 1})` : ""}` : "**survived**"} |`);
  return [START, "| mutation | where | first test that catches it |", "|---|---|---|", ...rows, END].join("\n");
}

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
const selected = NAMED_MUTANTS.filter((m) => !only || m.id === only);
if (selected.length === 0) throw new Error(`no named mutant ${only}`);

const outcomes: Outcome[] = [];
for (const m of selected) {
  const restore = apply(m);
  let res: { failed: string[]; ran: number };
  try {
    res = runTests(m);
  } finally {
    restore();
  }
  if (res.ran === 0) throw new Error(`${m.id}: no test ran (${m.tests.join(" ")})`);
  outcomes.push({ mutant: m, caught: res.failed.length > 0, by: res.failed });
  process.stdout.write(`${res.failed.length > 0 ? "killed  " : "SURVIVED"} ${m.id}: ${res.failed[0] ?? `${res.ran} tests passed`}\n`);
}

const md = table(outcomes);
process.stdout.write(`\n${md}\n`);
if (args.includes("--write") && !only) {
  const doc = readFileSync(DOC, "utf8");
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`docs/DEVELOPING.md has no ${START} … ${END} section`);
  writeFileSync(DOC, doc.slice(0, a) + md + doc.slice(b + END.length));
}
process.exitCode = outcomes.every((o) => o.caught) ? 0 : 1;
