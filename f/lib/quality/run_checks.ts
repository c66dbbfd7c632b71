// Run an asset's declared checks (f/lib/assets/catalog.ts) over a range, or its freshness check:
// per slice one statement judges every subject (plant-day, station-day) with every check and
// records one evaluation per partition and check plus the failures (chunk_checks_sql.ts); the
// result says which partitions a failing blocking check holds back.
import { checkedAsset, type CheckedAsset } from "../assets/quality.ts";
import type { Pool, Sql } from "../db/resource.ts";
import { recordFreshness } from "../store/check_results.ts";
import { now as clockNow } from "../time/clock.ts";
import { addDays, kstMidnight } from "../time/kst.ts";
import { CheckDeclarationError, type Severity, type SubjectCheckSpec } from "./check_spec.ts";
import { evaluateFreshness } from "./checks/freshness_eval.ts";
import { chunkChecksSql } from "./chunk_checks_sql.ts";
import { type FillModel } from "./fill_model.ts";
import { qualifiedName } from "../sources/serving_table.ts";
import { dayRange, slices, type QualityRange } from "./slices.ts";
import { resolveUnits, type Unit } from "./units.ts";
import { sunDay } from "./sun.ts";

export type CheckMode = "partitions" | "freshness" | "all";

export interface RunChecksOptions extends QualityRange {
  /** The asset's key, or its declaration. */
  asset: string | CheckedAsset;
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
  /** The plant-day / station-day inside the partition. */
  day: string | null;
  unit: string | null;
  severity: Severity;
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
  /** Subject results (a subject judged by 8 checks is 8 results); only failures are stored one by one. */
  results: number;
  passed: number;
  failed: number;
  errors: number;
  warnings: number;
  /** Partitions with a failing blocking check of severity error: the next step skips them. */
  blocked: string[];
  /** Failing results, errors first (at most 20; all of them are in ops.check_results). */
  failures: CheckFailure[];
  /** Freshness: fresh, partial (loaded, not final yet), not late yet, late. */
  freshness?: string;
}

/** What the chunk statement returns: its failures, and one summary of the subject results judged and passed. */
type ChunkRow =
  | {
      kind: "failure";
      partition: string;
      check_name: string;
      day: string | null;
      unit: string | null;
      severity: Severity;
      blocking: boolean;
      value: number | null;
      message: string | null;
    }
  | { kind: "summary"; subjects: number | null; passed: number | null };

export async function runAssetChecks(sql: Pool, o: RunChecksOptions): Promise<RunChecksResult> {
  const asset = checkedAsset(o.asset);
  const mode = o.mode ?? "partitions";
  const only = o.only?.length ? new Set(o.only) : null;
  const checks = asset.checks.filter((c) => !only || only.has(c.name));
  const out: RunChecksResult = { asset: asset.key, mode, start: o.start, end: o.end, subjects: 0, results: 0, passed: 0, failed: 0, errors: 0, warnings: 0, blocked: [], failures: [] };
  const failures: CheckFailure[] = [];
  const blocked = new Set<string>();
  const fail = (f: CheckFailure) => {
    out.failed++;
    if (f.severity === "error") out.errors++;
    else out.warnings++;
    if (f.blocking && f.severity === "error") blocked.add(f.partition);
    failures.push(f);
  };

  const subjectChecks = checks.filter((c): c is SubjectCheckSpec => c.kind === "subject");
  if (mode !== "freshness" && subjectChecks.length > 0) {
    const model = asset.fillModel;
    if (!model) throw new CheckDeclarationError(asset.key, subjectChecks[0].name, "needs the asset's table model (fillModel)");
    const limited = model.partitioning.kind === "monthly" && o.pdims?.some(Boolean) ? o.pdims.filter(Boolean) : null;
    for (const slice of slices(model, o.start, o.end)) {
      const subjects = await buildSubjects(sql, model, slice, o.pdims ?? null);
      if (subjects.length === 0) continue;
      out.subjects += subjects.length;
      const st = chunkStatement(asset.key, model, subjectChecks, subjects, { units: limited, runId: o.runId ?? null });
      const rows = await runChunkStatement(sql, st);
      for (const r of rows) {
        if (r.kind === "summary") {
          out.results += r.subjects ?? 0;
          out.passed += r.passed ?? 0;
        } else {
          fail({ check_name: r.check_name, partition: r.partition, day: r.day, unit: r.unit, severity: r.severity, blocking: r.blocking, value: r.value, message: r.message ?? "" });
        }
      }
    }
  }
  if (mode !== "partitions") {
    for (const c of checks) {
      if (c.kind !== "freshness") continue;
      const f = await evaluateFreshness(sql, asset, c.rule, c.severity, o.now ?? clockNow());
      await recordFreshness(sql, o.runId ?? null, { asset: asset.key, partition: f.partition, day: f.day, passed: f.passed, severity: f.severity, blocking: c.blocking, value: f.value, message: f.message });
      out.results++;
      out.freshness = f.label;
      if (f.passed) out.passed++;
      else fail({ check_name: c.name, partition: f.partition, day: f.day, unit: null, severity: f.severity, blocking: c.blocking, value: f.value, message: f.message });
    }
  }
  out.blocked = [...blocked].sort();
  out.failures = failures
    .sort((a, b) => Number(b.severity === "error") - Number(a.severity === "error") || (a.day ?? "").localeCompare(b.day ?? "") || (a.unit ?? "").localeCompare(b.unit ?? ""))
    .slice(0, 20);
  return out;
}

/**
 * The chunk statement, prepared (every chunk of an asset sends the same text) and run with a
 * generic plan: planning its eight check CTEs for a chunk's values took ~4.5 ms, and PostgreSQL
 * kept choosing that custom plan for most chunks (bench §7: 210 plans in 372 executions). The
 * generic plan reads through the same keys (tests/integration/check_plan.test.ts EXPLAINs both).
 * The setting is the transaction's own; it is sent with the statement, not waited for.
 */
async function runChunkStatement(sql: Pool, st: ReturnType<typeof chunkStatement>): Promise<ChunkRow[]> {
  const [, rows] = await sql.begin((tx) => [tx`set local plan_cache_mode = force_generic_plan`, tx.unsafe<ChunkRow[]>(st.text, st.params, { prepare: true })]);
  return rows;
}

/** The statement that judges a chunk's subjects with every check and records the outcome, and its parameters. */
export function chunkStatement(
  asset: string,
  model: FillModel,
  checks: readonly SubjectCheckSpec[],
  subjects: readonly Subject[],
  o: { units: string[] | null; runId: string | null },
): { text: string; params: (string | Date | null)[] } {
  const days = subjects.map((x) => x.day).sort();
  const lookback = Math.max(0, ...checks.map((c) => c.lookbackDays ?? 0));
  return {
    text: chunkChecksSql(model, checks),
    params: [
      JSON.stringify(subjects),
      kstMidnight(days[0]),
      kstMidnight(addDays(days[days.length - 1], 1)),
      kstMidnight(addDays(days[0], -lookback)),
      JSON.stringify(checks.map((c, ci) => ({ ci, check_name: c.name, severity: c.severity, blocking: c.blocking }))),
      asset,
      o.units ? JSON.stringify(o.units) : null,
      o.runId,
    ],
  };
}

/** One unit-day a check judges, as passed to SQL. */
export interface Subject {
  sid: number;
  partition: string;
  day: string;
  unit: string;
  /** Identity columns of the unit (gencd/hogi, plant_name/hogi, stn_id). */
  [id: string]: string | number | null;
  capacity_kw: number | null;
  /** Sunrise/sunset as ISO instants ('infinity' / '-infinity' at polar day or night); null without coordinates. */
  sunrise: string | null;
  sunset: string | null;
}

/**
 * The unit-days to judge in a slice: for daily_unit assets, the materialized partitions (success
 * or empty — a failed one has nothing new to judge); for monthly ones, every unit with rows in a
 * materialized month × the days of that month that have rows.
 */
export async function buildSubjects(
  sql: Sql,
  policy: FillModel,
  slice: { start: string; end: string },
  pdims: string[] | null,
): Promise<Subject[]> {
  const keys = pdims?.filter(Boolean) ?? [];
  const asset = policy.asset;
  const subjects: { partition: string; day: string; unit: Unit }[] = [];
  if (policy.partitioning.kind === "daily_unit") {
    // Units named (a chunk's): read with the partitions, at once, rather than after them.
    const named = keys.length ? resolveUnits(sql, policy, { ...slice, pdims: keys }) : null;
    named?.catch(() => undefined); // awaited below
    const parts = await sql<{ partition: string; day: string; pdim: string }[]>`
      select partition, to_char(pdate, 'YYYY-MM-DD') as day, pdim from ops.asset_partitions
      where asset = ${asset} and pdate between ${slice.start}::date and ${slice.end}::date
        and status in ('success', 'empty') and pdim is not null
        and (${keys.length === 0} or pdim = any(${keys}::text[]))
      order by pdim, pdate`;
    if (parts.length === 0) return [];
    const units = new Map((await (named ?? resolveUnits(sql, policy, { ...slice, pdims: [...new Set(parts.map((p) => p.pdim))] }))).map((u) => [u.key, u]));
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
      // Days of the month with rows (any unit): a unit missing on such a day is judged too (0/24).
      const days = await sql.unsafe<{ day: string }[]>(
        `select distinct to_char(datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD') as day from ${qualifiedName(policy.table)}
         where datetime >= $1 and datetime < $2 order by 1`,
        [kstMidnight(month.start), kstMidnight(addDays(month.end, 1))],
      );
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
