// Run an asset's declared checks over a range (or its freshness check), record every result in
// ops.check_results, and say which partitions a failing blocking check holds back.
import { now as clockNow } from "../time/clock.ts";
import type { Sql } from "../db/resource.ts";
import { recordCheckResults, type CheckResultRow } from "../store/check_results.ts";
import { addDays, kstMidnight } from "../time/kst.ts";
import { assetChecks, type CheckDef, type PartitionCheck } from "./checks.ts";
import { hoursTableSql, type CheckRow, type Subject } from "./checks/common.ts";
import { freshnessRow } from "./checks/freshness.ts";
import { qualifiedName, type ImputePolicy } from "./policies.ts";
import { dayRange, resolveUnits, slices, type QualityRange, type Unit } from "./scope.ts";
import { sunDay } from "./sun.ts";

export type CheckMode = "partitions" | "freshness" | "all";

export interface RunChecksOptions extends QualityRange {
  asset: string;
  mode?: CheckMode;
  runId?: string | null;
  /** Only these checks (default: every declared one). */
  only?: string[] | null;
  /** Evaluation time for freshness (default: now). */
  now?: Date;
}

export interface CheckFailure {
  check_name: string;
  partition: string;
  unit: string | null;
  severity: "warn" | "error";
  blocking: boolean;
  value: number | null;
  message: string;
}

export interface RunChecksResult {
  asset: string;
  mode: CheckMode;
  start: string;
  end: string;
  /** Unit-days judged. */
  subjects: number;
  results: number;
  passed: number;
  failed: number;
  errors: number;
  warnings: number;
  /** Partitions with a failing blocking check of severity error: the next step skips them. */
  blocked: string[];
  /** Failing results, errors first (at most 20; all of them are in ops.check_results). */
  failures: CheckFailure[];
}

export async function runAssetChecks(sql: Sql, o: RunChecksOptions): Promise<RunChecksResult> {
  const declared = assetChecks(o.asset);
  const mode = o.mode ?? "partitions";
  const only = o.only?.length ? new Set(o.only) : null;
  const checks = declared.checks.filter((c) => !only || only.has(c.name));
  const out: RunChecksResult = { asset: o.asset, mode, start: o.start, end: o.end, subjects: 0, results: 0, passed: 0, failed: 0, errors: 0, warnings: 0, blocked: [], failures: [] };
  const failures: CheckFailure[] = [];
  const blocked = new Set<string>();
  const take = (rows: CheckResultRow[]) => {
    for (const r of rows) {
      out.results++;
      if (r.passed) {
        out.passed++;
        continue;
      }
      out.failed++;
      if (r.severity === "error") out.errors++;
      else out.warnings++;
      if (r.blocking && r.severity === "error") blocked.add(r.partition);
      failures.push({ check_name: r.check_name, partition: r.partition, unit: r.unit, severity: r.severity, blocking: r.blocking, value: r.value, message: r.message });
    }
  };

  if (mode !== "freshness") {
    const partitionChecks = checks.filter((c): c is PartitionCheck => c.kind === "partition");
    for (const slice of slices(declared.policy, o.start, o.end)) {
      const subjects = await buildSubjects(sql, declared.policy, slice, o.pdims ?? null);
      if (subjects.length === 0 || partitionChecks.length === 0) continue;
      out.subjects += subjects.length;
      const rows: CheckResultRow[] = [];
      const days = subjects.map((x) => x.day).sort();
      const json = JSON.stringify(subjects);
      await sql.begin(async (tx0) => {
        const tx = tx0 as unknown as Sql;
        // The slice's hours, read once; every check aggregates this small table.
        await tx.unsafe(hoursTableSql(declared.policy, declared.hourColumns), [
          json as never,
          kstMidnight(days[0]) as never,
          kstMidnight(addDays(days[days.length - 1], 1)) as never,
        ]);
        for (const c of partitionChecks) {
          const res = (await tx.unsafe(
            `select partition, to_char(day, 'YYYY-MM-DD') as day, unit, passed, value::float8 as value, message from (${c.sql}) x`,
            [json as never],
          )) as unknown as CheckRow[];
          for (const r of res) rows.push(toRow(o.asset, c, r));
        }
        await recordCheckResults(tx, o.runId ?? null, rows);
      });
      take(rows);
    }
  }
  if (mode !== "partitions") {
    for (const c of checks) {
      if (c.kind !== "freshness") continue;
      const r = await freshnessRow(sql, o.asset, c.rule, c.severity, o.now ?? clockNow());
      const row: CheckResultRow = { ...toRow(o.asset, c, r), severity: r.severity };
      await recordCheckResults(sql, o.runId ?? null, [row]);
      take([row]);
    }
  }
  out.blocked = [...blocked].sort();
  out.failures = failures.sort((a, b) => Number(b.severity === "error") - Number(a.severity === "error")).slice(0, 20);
  return out;
}

function toRow(asset: string, c: CheckDef, r: CheckRow): CheckResultRow {
  return {
    asset,
    partition: r.partition,
    check_name: c.name,
    passed: Boolean(r.passed),
    severity: c.severity,
    blocking: c.blocking,
    value: r.value === null || r.value === undefined ? null : Number(r.value),
    message: r.message,
    day: r.day,
    unit: r.unit ?? null,
  };
}

/**
 * The unit-days to judge in a slice: for daily_unit assets, the materialized partitions (success
 * or empty — a failed one has nothing new to judge); for monthly ones, every unit with rows in a
 * materialized month × the days of that month that have rows.
 */
export async function buildSubjects(
  sql: Sql,
  policy: ImputePolicy,
  slice: { start: string; end: string },
  pdims: string[] | null,
): Promise<Subject[]> {
  const keys = pdims?.filter(Boolean) ?? [];
  const asset = policy.asset;
  const subjects: { partition: string; day: string; unit: Unit }[] = [];
  if (policy.partitioning.kind === "daily_unit") {
    const parts = await sql<{ partition: string; day: string; pdim: string }[]>`
      select partition, to_char(pdate, 'YYYY-MM-DD') as day, pdim from ops.asset_partitions
      where asset = ${asset} and pdate between ${slice.start}::date and ${slice.end}::date
        and status in ('success', 'empty') and pdim is not null
        and (${keys.length === 0} or pdim = any(${keys}::text[]))
      order by pdim, pdate`;
    if (parts.length === 0) return [];
    const units = new Map((await resolveUnits(sql, policy, { ...slice, pdims: [...new Set(parts.map((p) => p.pdim))] })).map((u) => [u.key, u]));
    for (const p of parts) {
      const unit = units.get(p.pdim);
      if (unit) subjects.push({ partition: p.partition, day: p.day, unit });
    }
  } else {
    const r = dayRange(policy, slice.start, slice.end);
    const months = await sql<{ partition: string }[]>`
      select partition from ops.asset_partitions
      where asset = ${asset} and pdate between ${r.start}::date and ${r.end}::date and status in ('success', 'empty')
      order by partition`;
    for (const m of months) {
      const month = { start: m.partition, end: dayRange(policy, m.partition, m.partition).end };
      const units = await resolveUnits(sql, policy, { ...month, pdims: keys.length ? keys : null });
      const days = (await sql.unsafe(
        `select distinct to_char(datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD') as day from ${qualifiedName(policy.table)}
         where datetime >= $1 and datetime < $2 order by 1`,
        [kstMidnight(month.start), kstMidnight(addDays(month.end, 1))],
      )) as unknown as { day: string }[];
      for (const u of units) for (const d of days) subjects.push({ partition: m.partition, day: d.day, unit: u });
    }
  }
  return subjects.map(({ partition, day, unit }, sid) => {
    const sun = unit.lat !== null && unit.lon !== null ? sunDay(day, unit.lat, unit.lon) : null;
    return {
      sid,
      partition,
      day,
      unit: unit.key,
      ...unit.ids,
      capacity_kw: unit.capacityKw,
      sunrise: sun === null ? null : sun.alwaysDown ? "infinity" : sun.alwaysUp ? "-infinity" : iso(sun.sunrise),
      sunset: sun === null ? null : sun.alwaysDown ? "-infinity" : sun.alwaysUp ? "infinity" : iso(sun.sunset),
    };
  });
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
