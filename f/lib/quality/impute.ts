// impute: fill the gaps of an hourly serving table with provenance, never touching a measured
// value. Per slice (≤ 31 days, or one month): one read of the rows (weather: plus a day on each
// side, gaps may cross midnight), the fills planned in TypeScript (impute_plan.ts; sun position per
// unit-day), and one set-based UPDATE of the filled columns that changes only rows whose filled value or method
// differs — so a re-run with nothing new writes nothing. The slice's partitions are locked as
// ingest locks them, so impute and an ingest of the same partition never interleave.
import type { Pool, Sql } from "../db/resource.ts";
import { inTransaction } from "../db/transaction.ts";
import { lockPartitions } from "../store/partition_locks.ts";
import { addDays, eachDay, kstMidnight } from "../time/kst.ts";
import { FILLED_METHODS, planPvDay, planSeriesField, referenceShape, type Fill, type FilledMethod, type PvReference, type UnfilledGap } from "./impute_plan.ts";
import { FILLED_ASSETS, fillModelOf, type FilledAsset } from "../assets/quality.ts";
import { type FillModel, type PvFillModel, type WeatherFillModel } from "./fill_model.ts";
import { blockedPartitions, readStationReferences, siblingCandidates, siblingsOf, stationDependents, withCandidates, type StationSeries } from "./impute_references.ts";
import { ident, qualifiedName } from "../sources/serving_table.ts";
import { dayRange, partitionOf, slices, type QualityRange } from "./slices.ts";
import { hourlyValidOn, resolveUnits, type Unit } from "./units.ts";
import { unitRangeCondition } from "./unit_range_sql.ts";
import { clearSkyHours, isNightInterval, kstDateOf, nightHours } from "./sun.ts";

const HOUR_MS = 3_600_000;

export interface ImputeOptions extends QualityRange {
  /** The asset's key, or its declaration. */
  asset: string | FilledAsset;
  /** Partitions not to touch (a failing blocking check said so); each is reported as skipped. */
  skip?: string[] | null;
  runId?: string | null;
}

export type { FilledMethod };

/** At most this many unfilled gaps are listed in a result (all are counted). */
const UNFILLED_EXAMPLES = 10;

export interface ImputeResult {
  asset: string;
  start: string;
  end: string;
  units: number;
  /** Rows (PV) or field-hours (weather) in range. */
  rows: number;
  measured: number;
  /** Method of every value that is not measured, after this run (none = left NULL). */
  methods: Record<FilledMethod, number>;
  /**
   * PV daytime gaps left NULL (method none) at units whose hourly values are valid: longer than
   * the policy's limit, or with no measured hour of the day to anchor them. A warning for the checks
   * and the run report: data that is missing and will stay missing.
   */
  unfilled: { gaps: number; hours: number; examples: { unit: string; day: string; start: string; hours: number; reason: UnfilledGap["reason"] }[] };
  /** Rows written: impute never inserts, it updates filled columns. */
  inserted: 0;
  updated: number;
  unchanged: number;
  skipped: { partition: string; reason: string }[];
  /**
   * Weather assets: the PV units whose station reference (station_csi) this run's stations are,
   * planned again over the same days — their fills may change with the radiation just loaded.
   */
  refilled?: { asset: string; units: number; updated: number }[];
}

const emptyMethods = (): Record<FilledMethod, number> => Object.fromEntries(FILLED_METHODS.map((m) => [m, 0])) as Record<FilledMethod, number>;

export function emptyImputeResult(o: { asset: string; start: string; end: string }): ImputeResult {
  return {
    asset: o.asset,
    start: o.start,
    end: o.end,
    units: 0,
    rows: 0,
    measured: 0,
    methods: emptyMethods(),
    unfilled: { gaps: 0, hours: 0, examples: [] },
    inserted: 0,
    updated: 0,
    unchanged: 0,
    skipped: [],
  };
}

export async function imputeAsset(sql: Pool, o: ImputeOptions): Promise<ImputeResult> {
  const policy = fillModelOf(o.asset);
  const result = emptyImputeResult({ ...o, asset: policy.asset });
  const skip = new Set((o.skip ?? []).filter(Boolean));
  const skipped = new Set<string>();
  const seenUnits = new Set<string>();
  for (const slice of slices(policy, o.start, o.end)) {
    // A unit's fills read its siblings' measured hours and theirs read its: a site is planned
    // together. The candidates are read with the named units, at once.
    const [named, candidates] = await Promise.all([resolveUnits(sql, policy, { ...slice, pdims: o.pdims }), siblingCandidates(sql, policy, { ...slice, pdims: o.pdims })]);
    if (named.length === 0) continue;
    const units = withCandidates(policy, named, candidates);
    const added = units.filter((u) => !named.some((n) => n.key === u.key));
    // A sibling's partition that a failing blocking check holds back is not filled from here either.
    const held = await blockedPartitions(sql, policy.asset, added.flatMap((u) => eachDay(slice.start, slice.end).map((d) => partitionOf(policy, d, u.key))));
    for (const u of units) seenUnits.add(u.key);
    const sliceSkip = held.size ? new Set([...skip, ...held]) : skip;
    await inTransaction(sql, (tx) => imputeSlice(tx, policy, slice, units, { skip: sliceSkip, skipped, runId: o.runId ?? null }, result));
  }
  result.units = seenUnits.size;
  result.skipped = await skipReasons(sql, policy.asset, [...skipped].sort());
  if (policy.kind === "weather") result.refilled = await refillStationDependents(sql, policy, o, [...seenUnits]);
  return result;
}

/**
 * After a weather asset's fill: plan again the PV units whose station reference is one of its
 * stations, over the same days, so a PV gap filled before its station's radiation arrived is
 * filled as if it had been there (the order of loads does not matter). Their partitions that a
 * failing blocking check holds back are skipped.
 */
async function refillStationDependents(sql: Pool, w: WeatherFillModel, o: ImputeOptions, stations: string[]): Promise<{ asset: string; units: number; updated: number }[]> {
  const pv = FILLED_ASSETS.filter((a) => a.fillModel.kind === "pv");
  const out: { asset: string; units: number; updated: number }[] = [];
  for (const d of await stationDependents(sql, w.asset, stations, pv.map((a) => a.fillModel as PvFillModel))) {
    const asset = pv.find((a) => a.fillModel === d.model)!;
    const range = dayRange(d.model, o.start, o.end);
    const held = await blockedPartitions(sql, d.model.asset, d.units.flatMap((u) => eachDay(range.start, range.end).map((day) => partitionOf(d.model, day, u))));
    const r = await imputeAsset(sql, { asset, start: o.start, end: o.end, pdims: d.units, skip: [...held], runId: o.runId ?? null });
    out.push({ asset: d.model.asset, units: r.units, updated: r.updated });
  }
  return out;
}

/** What a slice's fill leaves alone (and reports as skipped), and the run it writes for. */
interface SliceWork {
  skip: Set<string>;
  skipped: Set<string>;
  runId: string | null;
}

/**
 * One slice inside the caller's transaction: lock its partitions as ingest does, plan, write.
 * `pvpipe impute --evaluate` calls it inside a transaction it rolls back.
 */
export async function imputeSlice(
  tx: Sql,
  policy: FillModel,
  slice: { start: string; end: string },
  units: Unit[],
  o: SliceWork,
  acc: ImputeResult,
): Promise<void> {
  const partitions = [...new Set(units.flatMap((u) => eachDay(slice.start, slice.end).map((d) => partitionOf(policy, d, u.key))))];
  // The locks are taken before the first read: pipelined with it, they still run first.
  await Promise.all([
    lockPartitions(tx, policy.asset, partitions.filter((p) => !o.skip.has(p))),
    policy.kind === "pv" ? imputePvSlice(tx, policy, slice, units, o, acc) : imputeWeatherSlice(tx, policy, slice, units, o, acc),
  ]);
}

/** Why each skipped partition was skipped: its failing blocking checks. */
async function skipReasons(sql: Sql, asset: string, partitions: string[]): Promise<{ partition: string; reason: string }[]> {
  if (partitions.length === 0) return [];
  const rows = await sql<{ partition: string; checks: string | null }[]>`
    select p as partition, (
      select string_agg(distinct c.check_name, ', ' order by c.check_name)
      from ops.check_results_current c -- failures a later run of the check has not replaced
      where c.asset = ${asset} and c.partition = p and not c.passed and c.blocking and c.severity = 'error') as checks
    from unnest(${partitions}::text[]) as p order by 1`;
  return rows.map((r) => ({ partition: r.partition, reason: r.checks ? `failing blocking check: ${r.checks}` : "skipped on request" }));
}

// ---------------------------------------------------------------------------------------------
// PV

interface PvRow {
  key: string;
  day: string;
  h: number;
  datetime: string;
  v: number | null;
  f: number | null;
  m: string;
}

async function imputePvSlice(tx: Sql, p: PvFillModel, slice: { start: string; end: string }, units: Unit[], o: SliceWork, acc: ImputeResult): Promise<void> {
  const { skip, skipped, runId } = o;
  // Every method fills a day from that day's own hours: no look-back, no look-ahead.
  const from = kstMidnight(slice.start);
  const to = kstMidnight(addDays(slice.end, 1));
  const cols = p.unit.columns.map(ident);
  const keyDefs = p.unit.columns.map((c, i) => `${ident(c)} ${p.unit.types[i]}`).join(", ");
  const unitsJson = JSON.stringify(units.map((u) => u.ids));
  if (skip.size === 0) {
    // The common case is a slice with nothing to fill: one count, no row read into memory.
    const [c] = await tx.unsafe<{ n: number; todo: number }[]>(
      `select count(*)::int as n, count(*) filter (where g.${ident(p.valueColumn)} is null
                or g.${ident(p.filledColumn)} is distinct from g.${ident(p.valueColumn)} or g.${ident(p.methodColumn)} <> 'measured')::int as todo
       ${unitRowsFrom(p, keyDefs, "$2::timestamptz", "$3::timestamptz")}`,
      [unitsJson, from, to],
      { prepare: true },
    );
    if (c.todo === 0) {
      acc.rows += c.n;
      acc.measured += c.n;
      acc.unchanged += c.n;
      return;
    }
  }
  const rows = await tx.unsafe<PvRow[]>(
    `select ${p.unit.keySql("g")} as key,
            to_char(g.datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD') as day,
            extract(hour from g.datetime at time zone 'Asia/Seoul')::int as h,
            to_char(g.datetime at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as datetime,
            g.${ident(p.valueColumn)}::float8 as v, g.${ident(p.filledColumn)}::float8 as f, g.${ident(p.methodColumn)}::text as m
     ${unitRowsFrom(p, keyDefs, "$2::timestamptz", "$3::timestamptz")}
     order by 1, g.datetime`,
    [unitsJson, from, to],
    { prepare: true },
  );
  const byUnitDay = new Map<string, PvRow[]>();
  for (const r of rows) {
    const k = `${r.key}\u0000${r.day}`;
    const list = byUnitDay.get(k);
    if (list) list.push(r);
    else byUnitDay.set(k, [r]);
  }
  const measuredOf = (list: PvRow[] | undefined): (number | null)[] => {
    const m: (number | null)[] = Array(24).fill(null);
    for (const r of list ?? []) m[r.h] = r.v;
    return m;
  };
  const payload: Record<string, unknown>[] = [];
  const days = eachDay(slice.start, slice.end);
  const refs = p.fill.references;
  // What a gap can borrow its sky from: measured hours of the site's other units and of the
  // plant's station — not of a partition skipped here or held back by a failing blocking check.
  const siblings = new Map(units.map((u) => [u.key, refs?.sibling ? siblingsOf(u, units, refs.sibling.maxKm) : []]));
  const notReference = refs ? new Set([...skip, ...(await blockedPartitions(tx, p.asset, [...new Set(rows.map((r) => partitionOf(p, r.day, r.key)))]))]) : skip;
  const stations = refs?.station ? await readStationReferences(tx, p, slice, units, fillModelOf) : new Map<string, StationSeries>();
  const referencesOf = (u: Unit, day: string, clearSky: number[]): PvReference[] => {
    const out: PvReference[] = [];
    for (const v of siblings.get(u.key) ?? []) {
      const list = byUnitDay.get(`${v.key}\u0000${day}`);
      if (!list || notReference.has(partitionOf(p, day, v.key)) || !hourlyValidOn(v, day, p.invalidHourlyGrades)) continue;
      out.push({ method: "sibling_csi", source: v.key, shape: referenceShape(measuredOf(list), clearSkyHours(day, v.lat!, v.lon!), clearSky) });
    }
    const st = stations.get(u.key);
    const values = st?.days.get(day);
    if (st && values) out.push({ method: "station_csi", source: st.station, shape: referenceShape(values, clearSkyHours(day, st.lat, st.lon), clearSky) });
    return out;
  };
  for (const u of units) {
    for (const day of days) {
      const list = byUnitDay.get(`${u.key}\u0000${day}`);
      if (!list) continue;
      const partition = partitionOf(p, day, u.key);
      if (skip.has(partition)) {
        skipped.add(partition);
        continue;
      }
      const coords = u.lat !== null && u.lon !== null;
      const measured = measuredOf(list);
      const clearSky = coords ? clearSkyHours(day, u.lat!, u.lon!) : null;
      const { fills, unfilled } = planPvDay({
        measured,
        night: coords ? nightHours(day, u.lat!, u.lon!) : null,
        clearSky,
        hourlyValid: hourlyValidOn(u, day, p.invalidHourlyGrades),
        rules: p.fill,
        // Only a unit-day with a daytime gap needs them.
        references: clearSky && refs && measured.some((v, h) => v === null && clearSky[h] > 0) ? referencesOf(u, day, clearSky) : [],
      });
      for (const g of unfilled) {
        acc.unfilled.gaps++;
        acc.unfilled.hours += g.hours;
        if (acc.unfilled.examples.length < UNFILLED_EXAMPLES) {
          acc.unfilled.examples.push({ unit: u.key, day, start: `${String(g.start).padStart(2, "0")}:00`, hours: g.hours, reason: g.reason });
        }
      }
      for (const r of list) {
        const want: Fill = fills[r.h];
        acc.rows++;
        if (want.method === "measured") acc.measured++;
        else acc.methods[want.method]++;
        if (r.f === want.value && r.m === want.method) continue;
        payload.push({ ...u.ids, datetime: r.datetime, filled: want.value, method: want.method });
      }
    }
  }
  if (payload.length === 0) {
    acc.unchanged += countInSlice(rows, slice, p, skip);
    return;
  }
  const v = ident(p.valueColumn);
  const f = ident(p.filledColumn);
  const m = ident(p.methodColumn);
  const updated = await tx.unsafe<unknown[]>(
    `with v as (select * from jsonb_to_recordset($1::text::jsonb) as v(${keyDefs}, datetime timestamptz, filled float8, method text))
     update ${qualifiedName(p.table)} g set
       ${f} = case when g.${v} is not null then g.${v} else v.filled end,
       ${m} = case when g.${v} is not null then 'measured' else v.method end,
       run_id = coalesce($2, g.run_id),
       updated_at = now()
     from v
     where ${cols.map((c) => `g.${c} = v.${c}`).join(" and ")} and g.datetime = v.datetime
       and (g.${f}, g.${m}) is distinct from
           (case when g.${v} is not null then g.${v} else v.filled end,
            case when g.${v} is not null then 'measured' else v.method end)
     returning 1`,
    [JSON.stringify(payload), runId],
  );
  acc.updated += updated.length;
  acc.unchanged += countInSlice(rows, slice, p, skip) - updated.length;
}

/** FROM the rows of the units in $1 (jsonb, their unit columns) over [from, to) as `g`, each unit's through the primary key. */
function unitRowsFrom(p: FillModel, keyDefs: string, from: string, to: string): string {
  return `from jsonb_to_recordset($1::text::jsonb) as k(${keyDefs})
       cross join lateral (
         select * from ${qualifiedName(p.table)} x where ${unitRangeCondition(p.unit.columns, "x", "k", from, to)} offset 0
       ) g`;
}

function countInSlice(rows: PvRow[], slice: { start: string; end: string }, p: PvFillModel, skip: Set<string>): number {
  return rows.filter((r) => r.day >= slice.start && r.day <= slice.end && !skip.has(partitionOf(p, r.day, r.key))).length;
}

// ---------------------------------------------------------------------------------------------
// Weather

async function imputeWeatherSlice(tx: Sql, p: WeatherFillModel, slice: { start: string; end: string }, units: Unit[], o: SliceWork, acc: ImputeResult): Promise<void> {
  const { skip, skipped, runId } = o;
  // A day of margin on each side: gaps are at most a few hours, and may cross midnight.
  const from = kstMidnight(addDays(slice.start, -1)).getTime();
  const to = kstMidnight(addDays(slice.end, 2)).getTime();
  const targetFrom = kstMidnight(slice.start).getTime();
  const targetTo = kstMidnight(addDays(slice.end, 1)).getTime();
  const cols = p.unit.columns.map(ident);
  const keyDefs = p.unit.columns.map((c, i) => `${ident(c)} ${p.unit.types[i]}`).join(", ");
  const fields = p.fields.map((x) => x.field);
  const filled = (f: string) => ident(`${f}${p.filledSuffix}`);
  const rows = await tx.unsafe<(Record<string, unknown> & { key: string; t: number; datetime: string; methods: Record<string, string> | null })[]>(
    `select ${p.unit.keySql("g")} as key, (extract(epoch from g.datetime) * 1000)::float8 as t,
            to_char(g.datetime at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as datetime,
            ${fields.map((f) => `g.${ident(f)}::float8 as ${ident(`v_${f}`)}, g.${filled(f)}::float8 as ${ident(`f_${f}`)}`).join(", ")},
            g.${ident(p.methodsColumn)} as methods
     from ${qualifiedName(p.table)} g
     join jsonb_to_recordset($1::text::jsonb) as k(${keyDefs}) using (${cols.join(", ")})
     where g.datetime >= $2 and g.datetime < $3
     order by 1, g.datetime`,
    [JSON.stringify(units.map((u) => u.ids)), new Date(from), new Date(to)],
  );
  const n = Math.round((to - from) / HOUR_MS);
  const payload: Record<string, unknown>[] = [];
  let inRange = 0;
  for (const u of units) {
    const urows = rows.filter((r) => r.key === u.key);
    const slot = new Map<number, (typeof urows)[number]>();
    for (const r of urows) {
      const i = (Number(r.t) - from) / HOUR_MS;
      if (Number.isInteger(i) && i >= 0 && i < n) slot.set(i, r);
    }
    const coords = u.lat !== null && u.lon !== null;
    const plans = new Map<string, Map<number, Fill>>();
    // Whole-night slots: the interval the accumulated values cover is the hour ending at the row's time.
    let night: boolean[] | null = null;
    const nightSlots = (): boolean[] =>
      (night ??= Array.from({ length: n }, (_, i) => {
        const t = from + i * HOUR_MS;
        return p.intervalEndsAtRowTime ? isNightInterval(t - HOUR_MS, t, u.lat!, u.lon!) : isNightInterval(t, t + HOUR_MS, u.lat!, u.lon!);
      }));
    for (const rule of p.fields) {
      const measured = Array.from({ length: n }, (_, i) => {
        const v = slot.get(i)?.[`v_${rule.field}`];
        return v === null || v === undefined ? null : Number(v);
      });
      if (rule.kind === "instantaneous") {
        plans.set(rule.field, planSeriesField({ measured, kind: "instantaneous", maxInterpolateHours: rule.maxInterpolateHours, nightZero: null }));
        continue;
      }
      const measuresIt = rule.nightZero === "all" || (rule.nightZero === "sensor" && u.nightZero);
      plans.set(rule.field, planSeriesField({ measured, kind: "accumulated", maxInterpolateHours: 0, nightZero: measuresIt && coords ? nightSlots() : null }));
    }
    for (const [i, r] of slot) {
      const t = from + i * HOUR_MS;
      if (t < targetFrom || t >= targetTo) continue;
      const partition = partitionOf(p, kstDateOf(t), u.key);
      if (skip.has(partition)) {
        skipped.add(partition);
        continue;
      }
      inRange++;
      const current = r.methods ?? {};
      const want: Record<string, unknown> = { ...u.ids, datetime: r.datetime };
      const methods: Record<string, string> = {};
      let differs = false;
      for (const field of fields) {
        const mv = r[`v_${field}`];
        const fill: Fill | undefined =
          mv !== null && mv !== undefined ? { value: Number(mv), method: "measured" } : plans.get(field)!.get(i);
        acc.rows++;
        if (fill?.method === "measured") acc.measured++;
        else acc.methods[(fill?.method ?? "none") as FilledMethod]++;
        const value = fill?.value ?? null;
        want[`${field}_filled`] = value;
        if (fill) methods[field] = fill.method;
        const cur = r[`f_${field}`];
        if ((cur === null || cur === undefined ? null : Number(cur)) !== value || (current[field] ?? null) !== (fill?.method ?? null)) differs = true;
      }
      if (!differs) continue;
      want.methods = methods;
      payload.push(want);
    }
  }
  if (payload.length === 0) {
    acc.unchanged += inRange;
    return;
  }
  const newFilled = (f: string) => `case when g.${ident(f)} is not null then g.${ident(f)} else v.${ident(`${f}_filled`)} end`;
  // A value measured by the time the UPDATE runs is its own fill, whatever the plan said (second guard).
  const measuredNow = `jsonb_strip_nulls(jsonb_build_object(${fields.map((f) => `'${f}', case when g.${ident(f)} is not null then 'measured' end`).join(", ")}))`;
  const newMethods = `(g.${ident(p.methodsColumn)} - $3::text[]) || v.methods || ${measuredNow}`;
  const updated = await tx.unsafe<unknown[]>(
    `with v as (select * from jsonb_to_recordset($1::text::jsonb) as v(${keyDefs}, datetime timestamptz,
                ${fields.map((f) => `${ident(`${f}_filled`)} float8`).join(", ")}, methods jsonb))
     update ${qualifiedName(p.table)} g set
       ${fields.map((f) => `${filled(f)} = ${newFilled(f)}`).join(",\n       ")},
       ${ident(p.methodsColumn)} = ${newMethods},
       run_id = coalesce($2, g.run_id),
       updated_at = now()
     from v
     where ${cols.map((c) => `g.${c} = v.${c}`).join(" and ")} and g.datetime = v.datetime
       and (${fields.map((f) => `g.${filled(f)}`).join(", ")}, g.${ident(p.methodsColumn)}) is distinct from
           (${fields.map((f) => newFilled(f)).join(", ")}, ${newMethods})
     returning 1`,
    [JSON.stringify(payload), runId, fields],
  );
  acc.updated += updated.length;
  acc.unchanged += inRange - updated.length;
}
