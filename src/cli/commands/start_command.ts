// `pvpipe start` (npm start): the command line of the local `dagster dev`.
import type { Command } from "commander";
import { dbUrlOption } from "../shared_options.ts";
import type { CliContext } from "./context.ts";
import { startCommand } from "./start.ts";

export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command("start")
    .description("Embedded or configured DB, migrations, 14-day catch-up, status; then run the schedules until Ctrl-C")
    .option("--once", "exit after the catch-up")
    .option("--days <n>", "catch-up window in days", "14")
    .option("--ui-port <port>", "the web UI's port on 127.0.0.1 (default: PVPIPE_UI_PORT, else 3300)")
    .option("--no-ui", "do not serve the web UI")
    .addOption(dbUrlOption())
    .action(async (o) => {
      process.exitCode = await startCommand({ once: Boolean(o.once), days: Number(o.days), dbUrl: o.dbUrl, debug: ctx.debug(), ui: o.ui !== false, uiPort: o.uiPort });
    });
}
