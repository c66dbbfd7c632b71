// Quality commands: `pvpipe check` (run an asset's checks on demand), `pvpipe checks --since 7d`
// (failing results, newest first) and `pvpipe impute` (fill gaps on demand). Registered by main.ts.
import { dbUrlOption, endOption, startOption } from "../shared_options.ts";
import { now as clockNow } from "../../../f/lib/time/clock.ts";
import { Command, Option } from "commander";
import dayjs from "dayjs";
import { CHECKED_ASSETS, FILLED_ASSETS } from "../../../f/lib/assets/quality.ts";
import { imputeAsset, type ImputeResult } from "../../../f/lib/quality/impute.ts";
import { FILLED_METHODS } from "../../../f/lib/quality/impute_plan.ts";
import { runAssetChecks, type CheckMode, type RunChecksResult } from "../../../f/lib/quality/run_checks.ts";
import { listChecks, type ListedCheck } from "../../../f/lib/store/check_results.ts";
import { addDays, isoDate, KST, yesterdayKst } from "../../../f/lib/time/kst.ts";
import { UsageError } from "../../config/errors.ts";
import { withApp } from "../app.ts";
import { parseOptions } from "../options.ts";
import { runImputeEvaluation } from "./impute_evaluate.ts";

const out = (s: string) => process.stdout.write(`${s}\n`);

function window(o: { start?: string; end?: string }, defaultDays = 14): { start: string; end: string } {
  const end = o.end ? parseOptions(isoDate, o.end) : yesterdayKst();
  const start = o.start ? parseOptions(isoDate, o.start) : addDays(end, -(defaultDays - 1));
  if (start > end) throw new UsageError(`--start ${start} is after --end ${end}`);
  return { start, end };
}

function assetsOf(asset: string | undefined, known: string[]): string[] {
  if (!asset) return known;
  if (!known.includes(asset)) throw new UsageError(`--asset: no checks or impute policy for "${asset}" (known: ${known.join(", ")})`);
  return [asset];
}

/** `7d`, `24h`, `30m`, `2w`, or a date (KST midnight) → the instant. */
export function parseSince(s: string, now = clockNow()): Date {
  const m = /^(\d+)\s*([mhdw])$/.exec(s.trim());
  if (m) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }[m[2] as "m" | "h" | "d" | "w"];
    return new Date(now.getTime() - Number(m[1]) * unit);
  }
  if (isoDate.safeParse(s).success) return new Date(`${s}T00:00:00+09:00`);
  throw new UsageError(`--since: expected a duration such as 7d, 24h, 30m, or a date YYYY-MM-DD (got ${JSON.stringify(s)})`);
}

/** What a result is about: the plant-day (`2026-11-08 탑선태양광-3`), else the partition. */
function subjectOf(r: { partition: string; day: string | null; unit: string | null }): string {
  if (r.unit && r.day) return `${r.day} ${r.unit}`;
  return r.partition;
}

export function describeCheckRun(r: RunChecksResult, limit = 15): string {
  const range = r.mode === "freshness" ? "freshness" : `${r.start}..${r.end}`;
  const fresh = r.freshness ? ` — ${r.freshness}` : "";
  const head = `${r.asset} ${range}: ${r.mode === "freshness" ? "" : `${r.subjects} unit-days, `}${r.results} results, ${r.failed} failing (${r.errors} error, ${r.warnings} warn)${fresh}`;
  const lines = [head];
  for (const f of r.failures.slice(0, limit)) {
    lines.push(`  ${f.severity.padEnd(5)} ${f.check_name.padEnd(20)} ${subjectOf(f).padEnd(22)} ${f.message}${f.blocking && f.severity === "error" ? " [blocking]" : ""}`);
  }
  if (r.failed > Math.min(limit, r.failures.length)) lines.push(`  … ${r.failed - Math.min(limit, r.failures.length)} more (pvpipe checks --since 1h --asset ${r.asset})`);
  if (r.blocked.length) lines.push(`  blocked (downstream steps skip them): ${r.blocked.slice(0, 10).join(", ")}${r.blocked.length > 10 ? ", …" : ""}`);
  return lines.join("\n");
}

export function describeImpute(r: ImputeResult): string {
  const m = r.methods;
  const filled = FILLED_METHODS.filter((k) => k !== "none" && m[k] > 0).map((k) => `${m[k]} ${k}`);
  const lines = [
    `${r.asset} ${r.start}..${r.end}: ${r.units} units, ${r.rows} values (${r.measured} measured; filled ${filled.length ? filled.join(", ") : "none"}; ${m.none} left NULL); ${r.updated} updated, ${r.unchanged} unchanged`,
  ];
  if (r.unfilled.gaps) {
    const e = r.unfilled.examples.map((g) => `${g.unit} ${g.day} ${g.start} ${g.hours} h`).join(", ");
    lines.push(`  warning: ${r.unfilled.gaps} daytime gaps (${r.unfilled.hours} h) left NULL, too long to fill or without a measured hour around them: ${e}${r.unfilled.gaps > r.unfilled.examples.length ? ", …" : ""}`);
  }
  for (const s of r.skipped.slice(0, 10)) lines.push(`  skipped ${s.partition}: ${s.reason}`);
  if (r.skipped.length > 10) lines.push(`  … ${r.skipped.length - 10} more skipped`);
  for (const x of r.refilled ?? []) {
    if (x.units) lines.push(`  ${x.asset} planned again at ${x.units} units whose reference station this is (station_csi): ${x.updated} updated`);
  }
  return lines.join("\n");
}

function describeListed(rows: ListedCheck[], total: number): string {
  if (rows.length === 0) return "no failing checks";
  const lines = rows.map((r) => {
    const flags = `${r.blocking && r.severity === "error" ? " [blocking]" : ""}${r.current ? "" : " [re-checked since]"}`;
    return `${r.checked_at} KST  ${r.severity.padEnd(5)} ${r.asset.padEnd(13)} ${r.check_name.padEnd(20)} ${subjectOf(r).padEnd(22)} ${r.message}${flags}`;
  });
  if (total > rows.length) lines.push(`… ${total - rows.length} more (--limit)`);
  return lines.join("\n");
}

export function registerQualityCommands(program: Command): void {
  const checkAssets = CHECKED_ASSETS.map((a) => a.key);
  const imputeAssets = FILLED_ASSETS.map((a) => a.key);

  program
    .command("check")
    .description("Run the asset checks on demand and record the results (exit 1 when an error-severity check fails)")
    .option("--asset <key>", `one asset (${checkAssets.join(", ")}); default: all`)
    .addOption(startOption())
    .addOption(endOption())
    .option("--unit <key>", "one unit/station key, e.g. 997S-1 or 108")
    .option("--mode <mode>", "partitions | freshness | all", "partitions")
    .option("--json", "JSON output")
    .addOption(dbUrlOption())
    .action(async (o) => {
      const { start, end } = window(o);
      if (!["partitions", "freshness", "all"].includes(o.mode)) throw new UsageError(`--mode must be partitions, freshness or all (got ${o.mode})`);
      const assets = assetsOf(o.asset, checkAssets);
      await withApp({ dbUrl: o.dbUrl }, async (app) => {
        const results: RunChecksResult[] = [];
        for (const asset of assets) {
          results.push(await runAssetChecks(app.sql, { asset, start, end, pdims: o.unit ? [o.unit] : null, mode: o.mode as CheckMode, runId: null }));
        }
        if (o.json) out(JSON.stringify({ start, end, assets: results }));
        else out(results.map((r) => describeCheckRun(r)).join("\n"));
        process.exitCode = results.some((r) => r.errors > 0) ? 1 : 0;
      });
    });

  program
    .command("checks")
    .description("List failing check results (one line per plant-day), newest first")
    .option("--since <when>", "7d, 24h, 30m or a date", "7d")
    .option("--asset <key>", "one asset")
    .option("--all", "passed results too (freshness; passing plant-days are counted, not stored)")
    .option("--limit <n>", "at most this many rows", "100")
    .option("--json", "JSON output")
    .addOption(dbUrlOption())
    .action(async (o) => {
      const since = parseSince(o.since);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit must be a whole number ≥ 1");
      await withApp({ dbUrl: o.dbUrl }, async (app) => {
        const r = await listChecks(app.sql, { since, asset: o.asset ?? null, all: Boolean(o.all), limit });
        // Every timestamp in one form: ISO 8601 in KST with its offset (the rows hold KST wall clock).
        const kst = (wall: string) => `${wall.replace(" ", "T")}+09:00`;
        if (o.json) out(JSON.stringify({ since: kst(dayjs(since).tz(KST).format("YYYY-MM-DD HH:mm:ss")), total: r.total, checks: r.rows.map((c) => ({ ...c, checked_at: kst(c.checked_at) })) }));
        else out(describeListed(r.rows, r.total));
      });
    });

  program
    .command("impute")
    .description("Fill gaps of an hourly asset with provenance (measured values are never changed)")
    .requiredOption("--asset <key>", imputeAssets.join(" | "))
    .addOption(startOption())
    .addOption(endOption())
    .option("--unit <key>", "one unit/station key")
    .option("--evaluate", "measure the fills: hide measured hours (seeded), fill them in a rolled-back transaction, compare with the truth and with linear interpolation; writes nothing")
    .option("--seed <n>", "with --evaluate: the seed of the hidden gaps", "1")
    .option("--json", "JSON output")
    .addOption(dbUrlOption())
    .action(async (o) => {
      const { start, end } = window(o);
      if (o.evaluate) return runImputeEvaluation({ ...o, start, end }, out);
      const [asset] = assetsOf(o.asset, imputeAssets);
      await withApp({ dbUrl: o.dbUrl }, async (app) => {
        const r = await imputeAsset(app.sql, { asset, start, end, pdims: o.unit ? [o.unit] : null, runId: null });
        out(o.json ? JSON.stringify(r) : describeImpute(r));
      });
    });
}
