// `npm run wmill:gen`: regenerate every generated file from its typed source. `--check` fails
// (exit 1) when a committed file is out of date instead of writing it.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { grafanaFiles } from "../grafana/dashboards/index.ts";
import { renderKoenCaModule } from "./certs.ts";
import { renderMigrationsModule } from "./migrations.ts";
import { renderPlantsModule, renderStationsModule } from "./reference.ts";
import { orphanedFiles, windmillFiles } from "./windmill.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Path (relative to the project root) → content. Other generators add their files here. */
export async function generatedFiles(root = ROOT): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  files.set("f/lib/db/migrations_gen.ts", renderMigrationsModule(root));
  files.set("f/lib/reference/plants_gen.ts", renderPlantsModule(root));
  files.set("f/lib/sources/koen/ca_gen.ts", renderKoenCaModule(root));
  files.set("f/lib/reference/stations_gen.ts", renderStationsModule(root));
  // Grafana provisioning and dashboards, emitted from the typed definitions in src/grafana.
  for (const [p, c] of grafanaFiles()) files.set(p, c);
  // Keep last: the Windmill metadata covers the generated modules above too (f/**/*.ts).
  for (const [p, c] of windmillFiles(root, files)) files.set(p, c);
  return files;
}

export function staleFiles(files: Map<string, string>, root = ROOT): string[] {
  return [...files].filter(([p, c]) => !existsSync(join(root, p)) || readFileSync(join(root, p), "utf8") !== c).map(([p]) => p);
}

async function cli() {
  const check = process.argv.includes("--check");
  const files = await generatedFiles();
  const stale = staleFiles(files);
  const orphans = orphanedFiles(ROOT, files);
  if (check) {
    if (stale.length || orphans.length) {
      if (stale.length) console.error(`generated files out of date (run npm run wmill:gen): ${stale.join(", ")}`);
      if (orphans.length) console.error(`generated files no longer produced (run npm run wmill:gen to delete them): ${orphans.join(", ")}`);
      process.exit(1);
    }
    console.log(`${files.size} generated files up to date`);
    return;
  }
  for (const p of stale) {
    mkdirSync(dirname(join(ROOT, p)), { recursive: true });
    writeFileSync(join(ROOT, p), files.get(p)!);
  }
  for (const p of orphans) rmSync(join(ROOT, p));
  if (orphans.length) console.log(`deleted ${orphans.join(", ")}`);
  console.log(stale.length ? `wrote ${stale.join(", ")}` : `${files.size} generated files up to date`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await cli();
