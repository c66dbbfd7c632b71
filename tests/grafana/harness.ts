// Running dashboards without Grafana: resolve the variables the way Grafana does (each query
// variable's SQL run through the same interpolation, current value kept when valid, else All or the
// first option), expand every panel target exactly as Grafana would, run it as the read-only role,
// and check the result has the shape its panel type needs.
import { now as clockNow } from "../../f/lib/time/clock.ts";
import type postgres from "postgres";
import type { AssetDef } from "../../f/lib/assets/graph.ts";
import { DIMENSION_RESOLVERS } from "../../f/lib/assets/dimensions.ts";
import { keyDimensions } from "../../f/lib/assets/partitions.ts";
import type { Pool } from "../../f/lib/db/resource.ts";
import { statusCounts, type StatusCounts } from "../../f/lib/store/status_counts.ts";
import { resolveRange } from "../../src/grafana/timerange.ts";
import { expandPanelQuery, type TimeRange } from "../../src/grafana/macros.ts";
import type { PvDashboard, SqlPanel, SqlTarget } from "../../src/grafana/model.ts";
import { ALL_VARIABLE_VALUE, type TemplateVariable, type ScopedVar } from "../../src/grafana/template.ts";
import { MarkersLayerSchema } from "../../src/grafana/schema.ts";

export type Reader = postgres.ReservedSql<Record<string, never>>;
export interface QueryResult {
  rows: Record<string, unknown>[];
  columns: { name: string; type: number }[];
}

/** PostgreSQL type oids Grafana's converters care about. */
const OID = { bool: 16, int8: 20, int2: 21, int4: 23, text: 25, float4: 700, float8: 701, varchar: 1043, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700 };
const NUMERIC = new Set([OID.int8, OID.int2, OID.int4, OID.float4, OID.float8, OID.numeric]);
const TIME = new Set([OID.date, OID.timestamp, OID.timestamptz]);
const STRING = new Set([OID.text, OID.varchar]);

/** Act as pv_grafana on this connection (SET ROLE needs membership unless the admin is a superuser). */
export async function becomeReader(c: Reader, opts: { local?: boolean } = {}): Promise<void> {
  const [me] = await c.unsafe("select rolsuper from pg_roles where rolname = current_user");
  if (!me.rolsuper) await c.unsafe("grant pv_grafana to current_user");
  await c.unsafe(opts.local ? "set local role pv_grafana" : "set role pv_grafana");
}

/**
 * One asset's partitions by status over a window of days, as `pvpipe status` counts them
 * (f/lib/store/status_counts.ts) and as Grafana reads them (reporting.partition_status_daily).
 */
export async function partitionStatusBothWays(sql: Pool, reader: Reader, asset: AssetDef, start: string, end: string): Promise<{ cli: StatusCounts; grafana: StatusCounts["counts"] }> {
  const dim = keyDimensions(asset.partitions)[0];
  const dims = dim ? await DIMENSION_RESOLVERS[dim.name](sql) : null;
  const cli = await statusCounts(sql, { asset, start, end, dims });
  const rows = await reader<{ status: string; n: number }[]>`
    select status, sum(partitions)::int as n from reporting.partition_status_daily
    where asset = ${asset.key} and day between ${start}::date and ${end}::date group by status`;
  return { cli, grafana: { materialized: 0, stale: 0, failed: 0, missing: 0, ...Object.fromEntries(rows.map((r) => [r.status, r.n])) } };
}

export async function run(reader: Reader, sql: string): Promise<QueryResult> {
  const res = await reader.unsafe(sql);
  return { rows: [...res] as Record<string, unknown>[], columns: (res.columns ?? []).map((c) => ({ name: c.name, type: c.type })) };
}

export const sqlPanels = (d: PvDashboard): SqlPanel[] => d.panels.filter((p): p is SqlPanel => p.type !== "row");

export interface VariableChoice {
  [name: string]: string | string[];
}

/** Grafana's variable resolution on load: options from the query, current kept if valid. */
export async function resolveVariables(reader: Reader, d: PvDashboard, range: TimeRange, choose: VariableChoice = {}): Promise<TemplateVariable[]> {
  const out: TemplateVariable[] = [];
  for (const v of d.templating.list) {
    if (v.type !== "query" || typeof v.query !== "string") throw new Error(`variable ${v.name}: only SQL query variables are supported`);
    const q = expandPanelQuery(v.query, { range, variables: out, timezone: d.timezone });
    const { rows } = await run(reader, q.sql);
    const options = rows.map((r) => {
      const value = String(r.__value ?? Object.values(r)[0]);
      return { value, text: String(r.__text ?? value) };
    });
    const wanted = choose[v.name] ?? (v.current?.value as string | string[] | undefined);
    const values = wanted === undefined ? [] : Array.isArray(wanted) ? wanted : [wanted];
    let current: string | string[];
    if (values.length && values[0] === ALL_VARIABLE_VALUE && v.includeAll) current = v.multi ? [ALL_VARIABLE_VALUE] : ALL_VARIABLE_VALUE;
    else if (values.length && values.every((x) => options.some((o) => o.value === x))) current = v.multi ? values : values[0];
    else if (v.includeAll) current = v.multi ? [ALL_VARIABLE_VALUE] : ALL_VARIABLE_VALUE;
    else current = v.multi ? [options[0]?.value ?? ""] : (options[0]?.value ?? "");
    out.push({ name: v.name, multi: Boolean(v.multi), includeAll: Boolean(v.includeAll), allValue: v.allValue, options, current });
  }
  return out;
}

export interface ExpandedTarget {
  dashboard: PvDashboard;
  panel: SqlPanel;
  target: SqlTarget;
  /** For repeated panels: the repeated variable's value. */
  repeatValue?: string;
  sql: string;
}

/** Every target of every panel (repeated panels once per value), expanded as Grafana would. */
export function expandDashboard(d: PvDashboard, variables: TemplateVariable[], range: TimeRange): ExpandedTarget[] {
  const out: ExpandedTarget[] = [];
  for (const panel of sqlPanels(d)) {
    let scopes: (Record<string, ScopedVar> | undefined)[] = [undefined];
    let repeatValues: (string | undefined)[] = [undefined];
    if (panel.repeat) {
      const v = variables.find((x) => x.name === panel.repeat)!;
      const cur = Array.isArray(v.current) ? v.current : [v.current];
      repeatValues = cur[0] === ALL_VARIABLE_VALUE ? v.options.map((o) => o.value) : cur;
      scopes = repeatValues.map((value) => ({ [v.name]: { value: value!, text: value, multi: v.multi, includeAll: v.includeAll } }));
    }
    scopes.forEach((scopedVars, i) => {
      for (const target of panel.targets) {
        const e = expandPanelQuery(target.rawSql, {
          range,
          variables,
          scopedVars,
          // Grafana asks for about one point per pixel of the panel's width.
          maxDataPoints: panel.maxDataPoints ?? panel.gridPos.w * 70,
          minInterval: panel.interval ?? "1m",
          timezone: d.timezone,
          dashboard: { title: d.title, uid: d.uid },
        });
        out.push({ dashboard: d, panel, target, repeatValue: repeatValues[i], sql: e.sql });
      }
    });
  }
  return out;
}

/** The dashboard's default time range as Grafana would resolve it at the pipeline clock's now. */
export function defaultRange(d: PvDashboard, now = clockNow().getTime()): TimeRange {
  return resolveRange(d.time, now);
}

const fieldsMatching = (spec: string, names: string[]): string[] => {
  if (!spec) return names;
  const m = /^\/(.*)\/([a-z]*)$/.exec(spec);
  return m ? names.filter((n) => new RegExp(m[1], m[2]).test(n)) : names.filter((n) => n === spec);
};

/**
 * What the panel type needs from the frame (Grafana's sqleng + the panel plugins). Returns the
 * problems found (empty = fine).
 */
export function contractProblems(panel: SqlPanel, target: SqlTarget, r: QueryResult): string[] {
  const problems: string[] = [];
  const cols = new Map(r.columns.map((c) => [c.name, c.type]));
  const numeric = (n: string) => NUMERIC.has(cols.get(n) ?? -1);
  const need = (n: string, what: string) => {
    if (!cols.has(n)) problems.push(`missing column "${n}" (${what}); got ${[...cols.keys()].join(", ")}`);
  };
  if (r.rows.length === 0) problems.push("no rows");

  if (target.format === "time_series") {
    // sqleng: a column named "time" (timestamp types, or epoch numbers it converts); long frames
    // (string columns) go through LongToWide, which needs rows sorted by time and no null times.
    if (!cols.has("time")) problems.push(`time_series without a "time" column; got ${[...cols.keys()].join(", ")}`);
    else if (!TIME.has(cols.get("time")!) && !numeric("time")) problems.push(`"time" has type oid ${cols.get("time")}`);
    const values = r.columns.filter((c) => c.name !== "time" && c.name !== "metric" && NUMERIC.has(c.type));
    if (values.length === 0) problems.push("no numeric value column");
    const long = r.columns.some((c) => c.name !== "time" && STRING.has(c.type));
    const times = r.rows.map((row) => {
      const t = row.time;
      return t instanceof Date ? t.getTime() : t === null || t === undefined ? NaN : Number(t) * 1000;
    });
    if (times.some((t) => Number.isNaN(t))) problems.push("null or unparsable time values");
    if (long && times.some((t, i) => i > 0 && t < times[i - 1])) problems.push("long frame not sorted by time (LongToWide rejects it)");
    if (r.rows.length > 0 && values.every((c) => r.rows.every((row) => row[c.name] === null))) problems.push("every value is NULL");
  }

  switch (panel.type) {
    case "geomap": {
      for (const layer of panel.options.layers) {
        const l = MarkersLayerSchema.parse(layer);
        for (const f of [l.location.latitude, l.location.longitude]) {
          need(f, "marker location");
          if (cols.has(f) && !numeric(f)) problems.push(`"${f}" is not numeric`);
          if (r.rows.some((row) => row[f] === null)) problems.push(`"${f}" has NULLs`);
        }
        for (const f of [l.config.style.size.field, l.config.style.color.field]) {
          need(f, "marker size/colour");
          if (cols.has(f) && !numeric(f)) problems.push(`"${f}" is not numeric`);
        }
        if (!r.rows.some((row) => row[l.config.style.size.field] !== null)) problems.push("no plant has a value in the range");
      }
      break;
    }
    case "stat":
    case "bargauge": {
      const picked = fieldsMatching(panel.options.reduceOptions.fields ?? "", [...cols.keys()]).filter(numeric);
      if (picked.length === 0) problems.push(`no numeric field matches ${panel.options.reduceOptions.fields}`);
      break;
    }
    case "xychart": {
      for (const s of panel.options.series) {
        for (const m of [s.x?.matcher.options, s.y?.matcher.options]) {
          need(String(m), "xy series");
          if (cols.has(String(m)) && !numeric(String(m))) problems.push(`"${m}" is not numeric`);
        }
      }
      break;
    }
    case "table":
    case "timeseries":
    case "state-timeline":
      break;
  }
  // Overrides by name must name a field the query returns (tables) — a typo silently does nothing.
  if (panel.type === "table" || panel.type === "geomap" || panel.type === "xychart") {
    for (const o of panel.fieldConfig.overrides) if (o.matcher.id === "byName") need(String(o.matcher.options), "field override");
  }
  return problems;
}

/**
 * Every target of a dashboard expanded and run as the reader; the problems with what came back.
 * `emptyIsFine` names panels whose empty answer is the good state (no failed partitions).
 */
export async function dashboardProblems(reader: Reader, d: PvDashboard, choose: VariableChoice = {}, range = defaultRange(d), emptyIsFine: string[] = []) {
  const variables = await resolveVariables(reader, d, range, choose);
  const targets = expandDashboard(d, variables, range);
  const problems: string[] = [];
  const results = [];
  for (const t of targets) {
    const where = `${d.uid} / ${t.panel.title}${t.repeatValue ? ` [${t.repeatValue}]` : ""} / ${t.target.refId}`;
    try {
      const r = await run(reader, t.sql);
      results.push({ ...t, result: r });
      for (const p of contractProblems(t.panel, t.target, r)) if (!(p === "no rows" && emptyIsFine.includes(t.panel.title))) problems.push(`${where}: ${p}`);
    } catch (e) {
      problems.push(`${where}: ${(e as Error).message}\n${t.sql}`);
    }
  }
  return { variables, targets, problems, results };
}
