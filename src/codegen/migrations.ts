// migrations/*.sql → f/lib/db/migrations_gen.ts, so Windmill steps (which cannot read files
// outside the deployed scripts) carry the same SQL the local engine applies.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export function renderMigrationsModule(root: string): string {
  const dir = join(root, "migrations");
  const files = readdirSync(dir).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const entries = files.map((f) => {
    const sql = readFileSync(join(dir, f), "utf8");
    return `  { id: ${JSON.stringify(f.replace(/\.sql$/, ""))}, sql: ${JSON.stringify(sql)} },`;
  });
  return [
    "// Generated from migrations/*.sql by `npm run wmill:gen`. Do not edit.",
    "export const MIGRATIONS: { id: string; sql: string }[] = [",
    ...entries,
    "];",
    "",
  ].join("\n");
}
