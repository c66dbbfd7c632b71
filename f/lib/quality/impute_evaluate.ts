// `pvpipe impute --evaluate`: how close are the fills to the truth? On loaded PV data it hides
// measured hours — random daytime gaps of 1–6 h and whole days, drawn from a seed — fills them with
// the real impute code (imputeSlice) and compares each fill with the value that was hidden, next to
// plain linear interpolation on the same gaps. It never writes: the rows are copied into a temporary
// table inside a transaction that is always rolled back, and impute runs against that copy.
import { createHash } from "node:crypto";
import type { Pool, Sql } from "../db/resource.ts";
import { addDays, kstMidnight } from "../time/kst.ts";
import { emptyImputeResult, imputeSlice } from "./impute.ts";
import { FILLED_METHODS, type FilledMethod } from "./impute_plan.ts";
import { FILLED_ASSETS } from "../assets/quality.ts";
import { type PvFillModel } from "./fill_model.ts";
import { ident, qualifiedName } from "../sources/serving_table.ts";
import { dayRange, slices } from "./slices.ts";
import { hourlyValidOn, resolveUnits, type Unit } from "./units.ts";
import { withSiblings } from "./impute_references.ts";
import { clearSkyHours, nightHours } from "./sun.ts";

/** The asset has no fill policy to evaluate (or not a PV one): pick one that has. */
export class ChooseAssetToEvaluate extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = "ChooseAssetToEvaluate";
  }
}

/** Nothing measured to hide in the range: load data (or pick a range that has some) first. */
export class LoadMeasuredDataFirst extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = "LoadMeasuredDataFirst";
  }
}

export interface EvaluateOptions {
  asset: string;
  /** First and last day (KST, inclusive); months for KOEN are whole months. */
  start: string;
  end: string;
  seed: number;
  /** Unit keys; null or empty = every unit with rows. */
  pdims?: string[] | null;
}

/** How the hidden gaps are drawn (per unit-day whose daylight hours are all measured). */
export const EVALUATION_DRAW = {
  /** Share of eligible unit-days that get a gap. */
  gapShare: 0.5,
  /** Share of those gaps that take the whole day (else 1–6 daytime hours). */
  wholeDayShare: 0.15,
  maxGapHours: 6,
  /** A day is "clear" when its clear-sky index is at least this share of the unit's clearest day in the range. */
  clearShare: 0.8,
  /** The targets for gaps up to 6 h (issue #17). */
  target: { clear: 0.08, cloudy: 0.15 },
} as const;

export type Sky = "clear" | "cloudy";
export type GapLabel = "1 h" | "2 h" | "3 h" | "4 h" | "5 h" | "6 h" | "day";

export interface ErrorSums {
  /** Daylight hours hidden (with a fill, for the WAE; `unfilled` = left NULL). */
  hours: number;
  unfilled: number;
  /** Σ truth over the filled hours (the denominators). */
  truth: number;
  absError: number;
  error: number;
  linearAbsError: number;
  linearError: number;
}

export interface EvaluationCell extends ErrorSums {
  sky: Sky;
  gap: GapLabel;
  method: FilledMethod;
}

export interface EvaluationTarget extends ErrorSums {
  sky: Sky;
  target: number;
  /** WAE ≤ target and ≤ plain linear's on the same hours, and no hour of these gaps left NULL. */
  meets: boolean;
}

export interface EvaluationResult {
  asset: string;
  start: string;
  end: string;
  seed: number;
  units: number;
  /** Unit-days whose daylight hours were all measured (the ones a gap can be hidden in), by sky. */
  eligible: Record<Sky, number>;
  /** Gaps hidden: daytime runs of 1–6 h, and whole days. */
  gaps: { daytime: number; wholeDays: number };
  cells: EvaluationCell[];
  /** Gaps of up to 6 h, every method together, per sky: what the targets are about. */
  targets: EvaluationTarget[];
}

/** Weighted absolute error Σ|fill − truth| ÷ Σ truth (null without truth). */
export const wae = (s: ErrorSums): number | null => (s.truth > 0 ? s.absError / s.truth : null);
export const bias = (s: ErrorSums): number | null => (s.truth > 0 ? s.error / s.truth : null);
export const linearWae = (s: ErrorSums): number | null => (s.truth > 0 ? s.linearAbsError / s.truth : null);
export const linearBias = (s: ErrorSums): number | null => (s.truth > 0 ? s.linearError / s.truth : null);

/** A number in [0, 1) fixed by the seed and the parts (sha-256: the same on every platform). */
function draw(seed: number, ...parts: (string | number)[]): number {
  return createHash("sha256").update([seed, ...parts].join("|")).digest().readUInt32BE(0) / 2 ** 32;
}

interface UnitDay {
  unit: Unit;
  day: string;
  measured: (number | null)[];
}

interface HiddenRun {
  unit: Unit;
  day: string;
  hours: number[];
  gap: GapLabel;
  sky: Sky;
}

const EVAL_TABLE = "pg_temp.pvpipe_impute_evaluation";

class Rollback extends Error {}

/** The PV fill policy `--evaluate` can measure for an asset, or ChooseAssetToEvaluate. */
export function policyToEvaluate(asset: string): PvFillModel {
  const policy = FILLED_ASSETS.find((a) => a.key === asset)?.fillModel;
  const pvAssets = FILLED_ASSETS.filter((a) => a.fillModel.kind === "pv").map((a) => a.key);
  if (!policy) throw new ChooseAssetToEvaluate(`--asset ${asset} has no fill policy to evaluate (assets with one: ${pvAssets.join(", ")})`);
  if (policy.kind !== "pv") {
    throw new ChooseAssetToEvaluate(`--evaluate measures PV fills (${pvAssets.join(", ")}); ${asset} fills only short gaps of instantaneous fields linearly and whole-night hours with 0`);
  }
  return policy;
}

export async function evaluateImpute(sql: Pool, o: EvaluateOptions): Promise<EvaluationResult> {
  const policy = policyToEvaluate(o.asset);
  const range = dayRange(policy, o.start, o.end);
  const named = (await resolveUnits(sql, policy, { ...range, pdims: o.pdims })).filter((u) => u.lat !== null && u.lon !== null);
  // Their siblings come along as references (impute plans a site together); gaps are hidden at the named units only.
  const units = (await withSiblings(sql, policy, { ...range, pdims: o.pdims }, named)).filter((u) => u.lat !== null && u.lon !== null);
  const hideAt = new Set(named.map((u) => u.key));
  const result: EvaluationResult = {
    asset: o.asset,
    start: range.start,
    end: range.end,
    seed: o.seed,
    units: 0,
    eligible: { clear: 0, cloudy: 0 },
    gaps: { daytime: 0, wholeDays: 0 },
    cells: [],
    targets: [],
  };
  try {
    await sql.begin(async (tx0) => {
      const tx: Sql = tx0;
      const measuredCount = await copyRows(tx, policy, range, units);
      if (measuredCount === 0) {
        throw new LoadMeasuredDataFirst(`no measured ${o.asset} values in ${range.start}..${range.end}${o.pdims?.length ? ` for ${o.pdims.join(", ")}` : ""}: load that range first (pvpipe backfill), or evaluate a range that has data`);
      }
      const unitDays = await readUnitDays(tx, policy, range, units);
      const runs = drawGaps(o.seed, policy, unitDays, hideAt, result);
      if (runs.length === 0) {
        throw new LoadMeasuredDataFirst(
          `no unit-day of ${o.asset} in ${range.start}..${range.end} has every daylight hour measured at a unit with coordinates and valid hourly values: nothing to hide`,
        );
      }
      result.units = new Set(runs.map((r) => r.unit.key)).size;
      await hide(tx, policy, runs);
      const copy: PvFillModel = { ...policy, table: EVAL_TABLE };
      const acc = emptyImputeResult({ asset: o.asset, ...range });
      for (const slice of slices(policy, range.start, range.end)) {
        await imputeSlice(tx, copy, slice, units, { skip: new Set(), skipped: new Set(), runId: null }, acc);
      }
      const filled = await readFills(tx, policy, runs);
      score(result, runs, unitDays, filled);
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return result;
}

/** The range's rows of the units, copied into a temporary table like the serving table; returns the measured count. */
async function copyRows(tx: Sql, p: PvFillModel, range: { start: string; end: string }, units: Unit[]): Promise<number> {
  const cols = p.unit.columns.map(ident);
  const keyDefs = p.unit.columns.map((c, i) => `${ident(c)} ${p.unit.types[i]}`).join(", ");
  await tx.unsafe(`create temporary table ${qualifiedName(EVAL_TABLE)} (like ${qualifiedName(p.table)} including all) on commit drop`);
  const [c] = await tx.unsafe<{ n: number }[]>(
    `with copied as (
       insert into ${qualifiedName(EVAL_TABLE)}
       select g.* from ${qualifiedName(p.table)} g
       join jsonb_to_recordset($1::text::jsonb) as k(${keyDefs}) using (${cols.join(", ")})
       where g.datetime >= $2 and g.datetime < $3
       returning ${ident(p.valueColumn)} as v)
     select count(v)::int as n from copied`,
    [JSON.stringify(units.map((u) => u.ids)), kstMidnight(range.start), kstMidnight(addDays(range.end, 1))],
  );
  return c.n;
}

async function readUnitDays(tx: Sql, p: PvFillModel, range: { start: string; end: string }, units: Unit[]): Promise<Map<string, UnitDay>> {
  const rows = await tx.unsafe<{ key: string; day: string; h: number; v: number | null }[]>(
    `select ${p.unit.keySql("g")} as key, to_char(g.datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD') as day,
            extract(hour from g.datetime at time zone 'Asia/Seoul')::int as h, g.${ident(p.valueColumn)}::float8 as v
     from ${qualifiedName(EVAL_TABLE)} g order by 1, g.datetime`,
  );
  const byKey = new Map(units.map((u) => [u.key, u]));
  const out = new Map<string, UnitDay>();
  for (const r of rows) {
    const unit = byKey.get(r.key);
    if (!unit || r.day < range.start || r.day > range.end) continue;
    const k = `${r.key}|${r.day}`;
    let ud = out.get(k);
    if (!ud) out.set(k, (ud = { unit, day: r.day, measured: Array(24).fill(null) }));
    ud.measured[r.h] = r.v;
  }
  return out;
}

/** Clear-sky index of a day: Σ measured ÷ Σ clear-sky shape over its daylight hours. */
function dayIndex(ud: UnitDay, night: boolean[], cs: number[]): number {
  let m = 0;
  let c = 0;
  for (let h = 0; h < 24; h++) {
    if (night[h]) continue;
    m += ud.measured[h] ?? 0;
    c += cs[h];
  }
  return c > 0 ? m / c : 0;
}

/** One gap per drawn unit-day, at unit-days whose daylight hours are all measured. */
function drawGaps(seed: number, p: PvFillModel, unitDays: Map<string, UnitDay>, hideAt: Set<string>, result: EvaluationResult): HiddenRun[] {
  const eligible: { ud: UnitDay; night: boolean[]; daylight: number[]; index: number }[] = [];
  for (const ud of [...unitDays.values()].sort((a, b) => (a.unit.key + a.day < b.unit.key + b.day ? -1 : 1))) {
    if (!hideAt.has(ud.unit.key) || !hourlyValidOn(ud.unit, ud.day, p.invalidHourlyGrades)) continue;
    const night = nightHours(ud.day, ud.unit.lat!, ud.unit.lon!);
    const daylight = night.flatMap((n, h) => (n ? [] : [h]));
    if (daylight.length === 0 || daylight.some((h) => ud.measured[h] === null)) continue;
    eligible.push({ ud, night, daylight, index: dayIndex(ud, night, clearSkyHours(ud.day, ud.unit.lat!, ud.unit.lon!)) });
  }
  const clearest = new Map<string, number>();
  for (const e of eligible) clearest.set(e.ud.unit.key, Math.max(clearest.get(e.ud.unit.key) ?? 0, e.index));
  const runs: HiddenRun[] = [];
  for (const e of eligible) {
    const { unit, day } = e.ud;
    const sky: Sky = e.index >= EVALUATION_DRAW.clearShare * clearest.get(unit.key)! ? "clear" : "cloudy";
    result.eligible[sky]++;
    if (draw(seed, "gap", unit.key, day) >= EVALUATION_DRAW.gapShare) continue;
    if (draw(seed, "whole", unit.key, day) < EVALUATION_DRAW.wholeDayShare) {
      result.gaps.wholeDays++;
      runs.push({ unit, day, hours: Array.from({ length: 24 }, (_, h) => h), gap: "day", sky });
      continue;
    }
    const len = Math.min(e.daylight.length, 1 + Math.floor(draw(seed, "length", unit.key, day) * EVALUATION_DRAW.maxGapHours));
    const first = e.daylight[Math.floor(draw(seed, "start", unit.key, day) * (e.daylight.length - len + 1))];
    result.gaps.daytime++;
    runs.push({ unit, day, hours: Array.from({ length: len }, (_, i) => first + i), gap: `${len} h` as GapLabel, sky });
  }
  return runs;
}

const hiddenRows = (runs: HiddenRun[]) =>
  JSON.stringify(runs.flatMap((r) => r.hours.map((h) => ({ ...r.unit.ids, datetime: new Date(kstMidnight(r.day).getTime() + h * 3_600_000).toISOString() }))));

/** Make the hidden hours look as the source left them: no value, nothing filled. */
async function hide(tx: Sql, p: PvFillModel, runs: HiddenRun[]): Promise<void> {
  const keyDefs = p.unit.columns.map((c, i) => `${ident(c)} ${p.unit.types[i]}`).join(", ");
  await tx.unsafe(
    `update ${qualifiedName(EVAL_TABLE)} g set ${ident(p.valueColumn)} = null, ${ident(p.filledColumn)} = null, ${ident(p.methodColumn)} = 'none'
     from jsonb_to_recordset($1::text::jsonb) as v(${keyDefs}, datetime timestamptz)
     where ${p.unit.columns.map((c) => `g.${ident(c)} = v.${ident(c)}`).join(" and ")} and g.datetime = v.datetime`,
    [hiddenRows(runs)],
  );
}

async function readFills(tx: Sql, p: PvFillModel, runs: HiddenRun[]): Promise<Map<string, { value: number | null; method: FilledMethod }>> {
  const keyDefs = p.unit.columns.map((c, i) => `${ident(c)} ${p.unit.types[i]}`).join(", ");
  const rows = await tx.unsafe<{ key: string; day: string; h: number; value: number | null; method: FilledMethod }[]>(
    `select ${p.unit.keySql("g")} as key, to_char(g.datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD') as day,
            extract(hour from g.datetime at time zone 'Asia/Seoul')::int as h,
            g.${ident(p.filledColumn)}::float8 as value, g.${ident(p.methodColumn)} as method
     from ${qualifiedName(EVAL_TABLE)} g
     join jsonb_to_recordset($1::text::jsonb) as v(${keyDefs}, datetime timestamptz)
       on ${p.unit.columns.map((c) => `g.${ident(c)} = v.${ident(c)}`).join(" and ")} and g.datetime = v.datetime`,
    [hiddenRows(runs)],
  );
  return new Map(rows.map((r) => [`${r.key}|${r.day}|${r.h}`, { value: r.value, method: r.method }]));
}

/**
 * Plain linear interpolation at a hidden hour: between the nearest measured hours before and after
 * it in the unit's loaded series (night readings included), holding one side when the other is missing.
 */
function linearAt(unitDays: Map<string, UnitDay>, hidden: Set<string>, unit: Unit, day: string, hour: number): number {
  const valueAt = (step: number): number | null => {
    const t = kstMidnight(day).getTime() + (hour + step) * 3_600_000;
    const d = new Date(t + 9 * 3_600_000).toISOString().slice(0, 10);
    const h = new Date(t + 9 * 3_600_000).getUTCHours();
    if (hidden.has(`${unit.key}|${d}|${h}`)) return null;
    return unitDays.get(`${unit.key}|${d}`)?.measured[h] ?? null;
  };
  const side = (dir: -1 | 1): { d: number; v: number } | null => {
    for (let s = 1; s <= 48; s++) {
      const v = valueAt(dir * s);
      if (v !== null) return { d: s, v };
    }
    return null;
  };
  const a = side(-1);
  const b = side(1);
  if (a && b) return a.v + ((b.v - a.v) * a.d) / (a.d + b.d);
  return (a ?? b)?.v ?? 0;
}

const emptySums = (): ErrorSums => ({ hours: 0, unfilled: 0, truth: 0, absError: 0, error: 0, linearAbsError: 0, linearError: 0 });

function score(result: EvaluationResult, runs: HiddenRun[], unitDays: Map<string, UnitDay>, filled: Map<string, { value: number | null; method: FilledMethod }>): void {
  const hidden = new Set(runs.flatMap((r) => r.hours.map((h) => `${r.unit.key}|${r.day}|${h}`)));
  const cells = new Map<string, EvaluationCell>();
  const targets = new Map<Sky, ErrorSums>([["clear", emptySums()], ["cloudy", emptySums()]]);
  for (const r of runs) {
    const night = nightHours(r.day, r.unit.lat!, r.unit.lon!);
    const truthOf = unitDays.get(`${r.unit.key}|${r.day}`)!.measured;
    for (const h of r.hours) {
      if (night[h]) continue; // night readings are 0 and so are night fills: nothing to learn there
      const f = filled.get(`${r.unit.key}|${r.day}|${h}`) ?? { value: null, method: "none" as const };
      const truth = truthOf[h]!;
      const linear = linearAt(unitDays, hidden, r.unit, r.day, h);
      const key = `${r.sky}|${r.gap}|${f.method}`;
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = { sky: r.sky, gap: r.gap, method: f.method, ...emptySums() }));
      const sums: ErrorSums[] = r.gap === "day" ? [cell] : [cell, targets.get(r.sky)!];
      for (const s of sums) {
        s.hours++;
        if (f.value === null) {
          s.unfilled++;
          continue;
        }
        s.truth += truth;
        s.absError += Math.abs(f.value - truth);
        s.error += f.value - truth;
        s.linearAbsError += Math.abs(linear - truth);
        s.linearError += linear - truth;
      }
    }
  }
  const gapOrder: GapLabel[] = ["1 h", "2 h", "3 h", "4 h", "5 h", "6 h", "day"];
  result.cells = [...cells.values()].sort(
    (a, b) => a.sky.localeCompare(b.sky) || gapOrder.indexOf(a.gap) - gapOrder.indexOf(b.gap) || FILLED_METHODS.indexOf(a.method) - FILLED_METHODS.indexOf(b.method),
  );
  result.targets = (["clear", "cloudy"] as const).map((sky) => {
    const s = targets.get(sky)!;
    const target = EVALUATION_DRAW.target[sky];
    const w = wae(s);
    return { sky, target, ...s, meets: w !== null && w <= target && w <= linearWae(s)! && s.unfilled === 0 };
  });
}

