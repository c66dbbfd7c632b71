// impute: fill the gaps of an hourly serving table with provenance, never touching a measured
// value. Per slice (≤ 31 days, or one month): one read of the rows (plus the days the methods look
// back on), the fills planned in TypeScript (impute_plan.ts; sun position per unit-day), and one
// set-based UPDATE of the filled columns that changes only rows whose filled value or method
// differs — so a re-run with nothing new writes nothing. The slice's partitions are locked as
// ingest locks them, so impute and an ingest of the same partition never interleave.
import type { Sql } from "../db/resource.ts";
import { lockPartitions } from "../store/partition_locks.ts";
import { addDays, eachDay, kstMidnight } from "../time/kst.ts";
import { planPvDay, planSeriesField, sameHourScale, type Fill, type FillMethod, type ProfileDay } from "./impute_plan.ts";
import { ident, imputePolicy, qualifiedName, type PvImputePolicy, type WeatherImputePolicy } from "./policies.ts";
import { hourlyValidOn, partitionOf, resolveUnits, slices, type QualityRange, type Unit } from "./scope.ts";
import { clearSkyHours, isNightInterval, kstDateOf, nightHours } from "./sun.ts";

const HOUR_MS = 3_600_000;

export interface ImputeOptions extends QualityRange {
  asset: string;
  /** Partitions not to touch (a failing blocking check said so); each is reported as skipped. */
  skip?: string[] | null;
  runId?: string | null;
}

export type FilledMethod = Exclude<FillMethod, "measured">;

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
  /** Rows written: impute never inserts, it updates filled columns. */
  inserted: 0;
  updated: number;
  unchanged: number;
  skipped: { partition: string; reason: string }[];
}

const emptyMethods = (): Record<FilledMethod, number> => ({ night_zero: 0, linear: 0, spline: 0, profile: 0, none: 0 });

export async function imputeAsset(sql: Sql, o: ImputeOptions): Promise<ImputeResult> {
  const policy = imputePolicy(o.asset);
  const result: ImputeResult = {
    asset: o.asset,
    start: o.start,
    end: o.end,
    units: 0,
    rows: 0,
    measured: 0,
    methods: emptyMethods(),
    inserted: 0,
    updated: 0,
    unchanged: 0,
    skipped: [],
  };
  const skip = new Set((o.skip ?? []).filter(Boolean));
  const skipped = new Set<string>();
  const seenUnits = new Set<string>();
  for (const slice of slices(policy, o.start, o.end)) {
    const units = await resolveUnits(sql, policy, { ...slice, pdims: o.pdims });
    if (units.length === 0) continue;
    for (const u of units) seenUnits.add(u.key);
    await sql.begin(async (tx0) => {
      const tx = tx0 as unknown as Sql;
      const partitions = [...new Set(units.flatMap((u) => eachDay(slice.start, slice.end).map((d) => partitionOf(policy, d, u.key))))];
      await lockPartitions(tx, policy.asset, partitions.filter((p) => !skip.has(p)));
      if (policy.kind === "pv") await imputePvSlice(tx, policy, slice, units, skip, skipped, o.runId ?? null, result);
      else await imputeWeatherSlice(tx, policy, slice, units, skip, skipped, o.runId ?? null, result);
    });
  }
  result.units = seenUnits.size;
  result.skipped = await skipReasons(sql, policy.asset, [...skipped].sort());
  return result;
}

/** Why each skipped partition was skipped: its failing blocking checks. */
async function skipReasons(sql: Sql, asset: string, partitions: string[]): Promise<{ partition: string; reason: string }[]> {
  if (partitions.length === 0) return [];
  const rows = await sql<{ partition: string; checks: string | null }[]>`
    select p as partition, (
      select string_agg(distinct c.check_name, ', ' order by c.check_name) from (
        select distinct on (check_name, coalesce(unit, '')) check_name, passed, blocking, severity
        from ops.check_results where asset = ${asset} and partition = p
        order by check_name, coalesce(unit, ''), id desc) c
      where not c.passed and c.blocking and c.severity = 'error') as checks
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

async function imputePvSlice(
  tx: Sql,
  p: PvImputePolicy,
  slice: { start: string; end: string },
  units: Unit[],
  skip: Set<string>,
  skipped: Set<string>,
  runId: string | null,
  acc: ImputeResult,
): Promise<void> {
  const lookback = p.long === "profile" ? p.profileLookbackDays : 0;
  const from = kstMidnight(addDays(slice.start, -lookback));
  const to = kstMidnight(addDays(slice.end, 1));
  const cols = p.unit.columns.map(ident);
  const keyDefs = p.unit.columns.map((c, i) => `${ident(c)} ${p.unit.types[i]}`).join(", ");
  const unitsJson = JSON.stringify(units.map((u) => u.ids));
  if (skip.size === 0) {
    // The common case is a slice with nothing to fill: one count, no row read into memory.
    const [c] = (await tx.unsafe(
      `select count(*)::int as n, count(*) filter (where g.${ident(p.valueColumn)} is null
                or g.${ident(p.filledColumn)} is distinct from g.${ident(p.valueColumn)} or g.${ident(p.methodColumn)} <> 'measured')::int as todo
       from ${qualifiedName(p.table)} g
       join jsonb_to_recordset($1::text::jsonb) as k(${keyDefs}) using (${cols.join(", ")})
       where g.datetime >= $2 and g.datetime < $3`,
      [unitsJson as never, kstMidnight(slice.start), to],
    )) as unknown as { n: number; todo: number }[];
    if (c.todo === 0) {
      acc.rows += c.n;
      acc.measured += c.n;
      acc.unchanged += c.n;
      return;
    }
  }
  const rows = (await tx.unsafe(
    `select ${p.unit.keySql("g")} as key,
            to_char(g.datetime at time zone 'Asia/Seoul', 'YYYY-MM-DD') as day,
            extract(hour from g.datetime at time zone 'Asia/Seoul')::int as h,
            to_char(g.datetime at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as datetime,
            g.${ident(p.valueColumn)}::float8 as v, g.${ident(p.filledColumn)}::float8 as f, g.${ident(p.methodColumn)}::text as m
     from ${qualifiedName(p.table)} g
     join jsonb_to_recordset($1::text::jsonb) as k(${keyDefs}) using (${cols.join(", ")})
     where g.datetime >= $2 and g.datetime < $3
     order by 1, g.datetime`,
    [unitsJson as never, from, to],
  )) as unknown as PvRow[];
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
  for (const u of units) {
    const coords = u.lat !== null && u.lon !== null;
    for (const day of days) {
      const list = byUnitDay.get(`${u.key}\u0000${day}`);
      if (!list) continue;
      const partition = partitionOf(p, day, u.key);
      if (skip.has(partition)) {
        skipped.add(partition);
        continue;
      }
      const measured = measuredOf(list);
      const profile =
        coords && p.long === "profile"
          ? (() => {
              let history: ProfileDay[] | null = null;
              const cs = clearSkyHours(day, u.lat!, u.lon!);
              return (h: number): number | null => {
                history ??= eachDay(addDays(day, -p.profileLookbackDays), addDays(day, -1))
                  .filter((d) => byUnitDay.has(`${u.key}\u0000${d}`))
                  .map((d) => ({
                    measured: measuredOf(byUnitDay.get(`${u.key}\u0000${d}`)),
                    clearSky: clearSkyHours(d, u.lat!, u.lon!),
                    hourlyValid: hourlyValidOn(u, d, p.invalidHourlyGrades),
                  }));
                const scale = sameHourScale(history, h, p.profileMinDays);
                return scale === null ? null : scale * cs[h];
              };
            })()
          : null;
      const fills = planPvDay({
        measured,
        night: coords ? nightHours(day, u.lat!, u.lon!) : null,
        hourlyValid: hourlyValidOn(u, day, p.invalidHourlyGrades),
        profile,
        maxInterpolateHours: p.maxInterpolateHours,
        night_policy: p.night,
        long_policy: p.long,
      });
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
  const updated = (await tx.unsafe(
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
    [JSON.stringify(payload) as never, runId],
  )) as unknown as unknown[];
  acc.updated += updated.length;
  acc.unchanged += countInSlice(rows, slice, p, skip) - updated.length;
}

function countInSlice(rows: PvRow[], slice: { start: string; end: string }, p: PvImputePolicy, skip: Set<string>): number {
  return rows.filter((r) => r.day >= slice.start && r.day <= slice.end && !skip.has(partitionOf(p, r.day, r.key))).length;
}

// ---------------------------------------------------------------------------------------------
// Weather

async function imputeWeatherSlice(
  tx: Sql,
  p: WeatherImputePolicy,
  slice: { start: string; end: string },
  units: Unit[],
  skip: Set<string>,
  skipped: Set<string>,
  runId: string | null,
  acc: ImputeResult,
): Promise<void> {
  // A day of margin on each side: gaps are at most a few hours, and may cross midnight.
  const from = kstMidnight(addDays(slice.start, -1)).getTime();
  const to = kstMidnight(addDays(slice.end, 2)).getTime();
  const targetFrom = kstMidnight(slice.start).getTime();
  const targetTo = kstMidnight(addDays(slice.end, 1)).getTime();
  const cols = p.unit.columns.map(ident);
  const keyDefs = p.unit.columns.map((c, i) => `${ident(c)} ${p.unit.types[i]}`).join(", ");
  const fields = p.fields.map((x) => x.field);
  const filled = (f: string) => ident(`${f}${p.filledSuffix}`);
  const rows = (await tx.unsafe(
    `select ${p.unit.keySql("g")} as key, (extract(epoch from g.datetime) * 1000)::float8 as t,
            to_char(g.datetime at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as datetime,
            ${fields.map((f) => `g.${ident(f)}::float8 as ${ident(`v_${f}`)}, g.${filled(f)}::float8 as ${ident(`f_${f}`)}`).join(", ")},
            g.${ident(p.methodsColumn)} as methods
     from ${qualifiedName(p.table)} g
     join jsonb_to_recordset($1::text::jsonb) as k(${keyDefs}) using (${cols.join(", ")})
     where g.datetime >= $2 and g.datetime < $3
     order by 1, g.datetime`,
    [JSON.stringify(units.map((u) => u.ids)) as never, new Date(from), new Date(to)],
  )) as unknown as (Record<string, unknown> & { key: string; t: number; datetime: string; methods: Record<string, string> | null })[];
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
    for (const rule of p.fields) {
      const measured = Array.from({ length: n }, (_, i) => {
        const v = slot.get(i)?.[`v_${rule.field}`];
        return v === null || v === undefined ? null : Number(v);
      });
      const nightZero =
        rule.nightZero && u.nightZero && coords
          ? Array.from({ length: n }, (_, i) => {
              const t = from + i * HOUR_MS;
              return p.intervalEndsAtRowTime ? isNightInterval(t - HOUR_MS, t, u.lat!, u.lon!) : isNightInterval(t, t + HOUR_MS, u.lat!, u.lon!);
            })
          : null;
      plans.set(rule.field, planSeriesField({ measured, nightZero, maxInterpolateHours: rule.maxInterpolateHours }));
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
  const updated = (await tx.unsafe(
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
    [JSON.stringify(payload) as never, runId, fields as never],
  )) as unknown as unknown[];
  acc.updated += updated.length;
  acc.unchanged += inRange - updated.length;
}
