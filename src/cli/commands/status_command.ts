// `pvpipe status`: partitions per asset by status over a window of days, with a health bar.
import type { Command } from "commander";
import { addDays, isoDate, yesterdayKst } from "../../../f/lib/time/kst.ts";
import { UsageError } from "../../config/errors.ts";
import { withApp } from "../app.ts";
import { parseOptions } from "../options.ts";
import { dbUrlOption } from "../shared_options.ts";
import { collectStatus, renderStatus } from "../status_view.ts";
import type { CliContext } from "./context.ts";

export function registerStatusCommand(program: Command, { out }: CliContext): void {
  program
    .command("status")
    .description("Partitions per asset by status, with a health bar")
    .option("--asset <key>", "one asset")
    .option("--start <date>", "window start (default: 14 days before --end)")
    .option("--end <date>", "window end (default: yesterday KST)")
    .option("--json", "JSON output")
    .addOption(dbUrlOption())
    .action(async (o) => {
      const end = o.end ? parseOptions(isoDate, o.end) : yesterdayKst();
      const start = o.start ? parseOptions(isoDate, o.start) : addDays(end, -13);
      if (start > end) throw new UsageError(`--start ${start} is after --end ${end}`);
      await withApp({ dbUrl: o.dbUrl }, async (app) => {
        const rows = await collectStatus(app.sql, { asset: o.asset, start, end });
        if (o.json) out(JSON.stringify({ start, end, assets: rows }));
        else out(renderStatus(rows, { start, end }, Boolean(process.stdout.isTTY)));
      });
    });
}
