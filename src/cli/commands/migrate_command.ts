// `pvpipe migrate`: apply the pending migrations, and say which.
import type { Command } from "commander";
import { migrate } from "../../../f/lib/db/migrate.ts";
import { withApp } from "../app.ts";
import { dbUrlOption } from "../shared_options.ts";
import type { CliContext } from "./context.ts";

export function registerMigrateCommand(program: Command, { out }: CliContext): void {
  program
    .command("migrate")
    .description("Apply pending migrations")
    .addOption(dbUrlOption())
    .action(async (o) => {
      await withApp({ dbUrl: o.dbUrl, migrate: false }, async (app) => {
        const applied = await migrate(app.sql);
        out(applied.length ? `applied ${applied.join(", ")}` : "database is up to date");
      });
    });
}
