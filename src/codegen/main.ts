// `npm run wmill:gen`: regenerate every generated file from its typed source. `--check` fails
// (exit 1) when a committed file is out of date instead of writing it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderKoenCaModule } from "./certs.ts";
import { renderMigrationsModule } from "./migrations.ts";
import { renderPlantsModule, renderStationsModule } from "./reference.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Path (relative to the project root) → content. Other generators add their files here. */
export async function generatedFiles(root = ROOT): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  files.set("f/lib/db/migrations.gen.ts", renderMigrationsModule(root));
  files.set("f/lib/reference/plants.gen.ts", renderPlantsModule(root));
  files.set("f/lib/sources/koen/ca.gen.ts", renderKoenCaModule(root));
  files.set("f/lib/reference/stations.gen.ts", renderStationsModule(root));
  return files;
}

export function staleFiles(files: Map<string, string>, root = ROOT): string[] {
  return [...files].filter(([p, c]) => !existsSync(join(root, p)) || readFileSync(join(root, p), "utf8") !== c).map(([p]) => p);
}

async function cli() {
  const check = process.argv.includes("--check");
  const files = await generatedFiles();
  const stale = staleFiles(files);
  if (check) {
    if (stale.length) {
      console.error(`generated files out of date (run npm run wmill:gen): ${stale.join(", ")}`);
      process.exit(1);
    }
    console.log(`${files.size} generated files up to date`);
    return;
  }
  for (const p of stale) {
    mkdirSync(dirname(join(ROOT, p)), { recursive: true });
    writeFileSync(join(ROOT, p), files.get(p)!);
  }
  console.log(stale.length ? `wrote ${stale.join(", ")}` : `${files.size} generated files up to date`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await cli();
