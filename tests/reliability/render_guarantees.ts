// Rewrite the README "Guarantees" section from tests/reliability/results/*.json:
//   npx tsx tests/reliability/render_guarantees.ts
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderGuarantees, replaceSection } from "./guarantees.ts";

const readmePath = join(import.meta.dirname, "..", "..", "README.md");
const readme = readFileSync(readmePath, "utf8");
const next = replaceSection(readme, renderGuarantees());
if (next !== readme) writeFileSync(readmePath, next);
process.stdout.write(next === readme ? "README.md guarantees are up to date\n" : "README.md guarantees rewritten\n");
