// `pvpipe sql QUERY`: a query in a session in Asia/Seoul, printed as psql prints it (or CSV / JSON).
import type { Command } from "commander";
import { UsageError } from "../../config/errors.ts";
import { withApp } from "../app.ts";
import { dbUrlOption } from "../shared_options.ts";
import type { CliContext } from "./context.ts";
import { runSql, type SqlFormat } from "./sql.ts";

export function registerSqlCommand(program: Command, { out }: CliContext): void {
  program
    .command("sql <query>")
    .description("Run a query (session in Asia/Seoul) and print the rows as psql does; --csv / --json for machines")
    .option("--csv", "CSV with a header line")
    .option("--json", "a JSON array of rows (numbers as numbers)")
    .addOption(dbUrlOption())
    .action(async (query: string, o) => {
      if (o.csv && o.json) throw new UsageError("give --csv or --json, not both");
      await withApp({ dbUrl: o.dbUrl, migrate: false }, async (app) => {
        const format: SqlFormat = o.csv ? "csv" : o.json ? "json" : "aligned";
        out(await runSql(app.db.resource, query, format));
      });
    });
}
