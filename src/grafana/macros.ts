// Grafana's PostgreSQL backend, as far as it rewrites a panel's rawSql before sending it to the
// database (grafana/grafana pkg/tsdb/grafana-postgresql-datasource/macros.go and
// sqleng/sql_engine.go `Interpolate`), plus the whole pipeline a dashboard query goes through:
//
//   frontend  template.ts   dashboard variables, $__interval / $__interval_ms, $__from / $__to
//   backend   Interpolate   $__interval_ms, $__interval, $__unixEpochFrom(), $__unixEpochTo()
//   backend   macro engine  `\$(\w+)\(([^)]*)\)` → $__time, $__timeEpoch, $__timeFilter, $__timeFrom,
//                           $__timeTo, $__timeGroup(Alias), $__unixEpoch(Nano)Filter, … ; any
//                           other `$name(...)` is an error ("unknown macro"), as in Grafana.
//
// Expansions are byte-for-byte those of the Go code: RFC3339Nano UTC timestamps in quotes,
// BETWEEN inclusive at both ends, `floor(extract(epoch from col)/300)*300` (numeric epoch seconds;
// `%v` float formatting, so 30d is `2.592e+06`), `time_bucket('300.000s',col)` with TimescaleDB.
import {
  durationMilliseconds,
  durationSeconds,
  formatGrafanaInterval,
  goFormatFloatV,
  parseGrafanaInterval,
  rfc3339Nano,
  unixNanos,
  unixSeconds,
  type Duration,
  NS,
} from "./gotime.ts";
import { calculateInterval, SQL_DEFAULT_TIME_INTERVAL } from "./interval.ts";
import { interpolateVariables, type InterpolationContext, type ScopedVar, type TemplateVariable } from "./template.ts";

export interface TimeRange {
  /** Epoch milliseconds (Grafana sends the range with ms precision). */
  from: number;
  to: number;
}

export interface FillMode {
  mode: "null" | "previous" | "value";
  value?: number;
  intervalSeconds: number;
}

export class MacroError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MacroError";
  }
}

export interface MacroEngineOptions {
  timescaledb?: boolean;
  /** For gtime.ParseInterval's calendar units (M, y); defaults to the current time. */
  now?: Date;
}

const MACRO_REGEX = /\$([_a-zA-Z0-9]+)\(([^)]*)\)/g;

/** sqleng.Interpolate: the global substitutions, in Grafana's order. */
export function interpolateGlobals(sql: string, range: TimeRange, interval: Duration): string {
  return sql
    .replaceAll("$__interval_ms", durationMilliseconds(interval).toString())
    .replaceAll("$__interval", formatGrafanaInterval(interval))
    .replaceAll("$__unixEpochFrom()", String(unixSeconds(range.from)))
    .replaceAll("$__unixEpochTo()", String(unixSeconds(range.to)));
}

function parseFill(arg: string, interval: Duration): FillMode {
  const intervalSeconds = durationSeconds(interval);
  if (arg === "NULL") return { mode: "null", intervalSeconds };
  if (arg === "previous") return { mode: "previous", intervalSeconds };
  // strconv.ParseFloat
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i.test(arg)) throw new MacroError(`error parsing fill value ${arg}`);
  return { mode: "value", value: Number(arg), intervalSeconds };
}

/** The postgres macro engine (macros.go). Returns the SQL and the fill mode a $__timeGroup set. */
export function expandMacros(sql: string, range: TimeRange, opts: MacroEngineOptions = {}): { sql: string; fill?: FillMode } {
  let fill: FillMode | undefined;
  let firstError: Error | undefined;
  const from = rfc3339Nano(range.from);
  const to = rfc3339Nano(range.to);

  const evaluate = (name: string, args: string[]): string => {
    switch (name) {
      case "__time":
        if (args.length === 0) throw new MacroError(`missing time column argument for macro ${name}`);
        return `${args[0]} AS "time"`;
      case "__timeEpoch":
        if (args.length === 0) throw new MacroError(`missing time column argument for macro ${name}`);
        return `extract(epoch from ${args[0]}) as "time"`;
      case "__timeFilter":
        if (args.length === 0) throw new MacroError(`missing time column argument for macro ${name}`);
        return `${args[0]} BETWEEN '${from}' AND '${to}'`;
      case "__timeFrom":
        return `'${from}'`;
      case "__timeTo":
        return `'${to}'`;
      case "__timeGroup":
      case "__unixEpochGroup": {
        if (args.length < 2) throw new MacroError(`macro ${name} needs time column and interval and optional fill value`);
        let interval: Duration;
        try {
          interval = parseGrafanaInterval(args[1].replace(/^'+|'+$/g, ""), opts.now);
        } catch {
          throw new MacroError(`error parsing interval ${args[1]}`);
        }
        if (args.length === 3) fill = parseFill(args[2], interval);
        const secs = goFormatFloatV(durationSeconds(interval));
        if (name === "__unixEpochGroup") return `floor((${args[0]})/${secs})*${secs}`;
        if (opts.timescaledb) return `time_bucket('${durationSeconds(interval).toFixed(3)}s',${args[0]})`;
        return `floor(extract(epoch from ${args[0]})/${secs})*${secs}`;
      }
      case "__timeGroupAlias":
        return `${evaluate("__timeGroup", args)} AS "time"`;
      case "__unixEpochGroupAlias":
        return `${evaluate("__unixEpochGroup", args)} AS "time"`;
      case "__unixEpochFilter":
        if (args.length === 0) throw new MacroError(`missing time column argument for macro ${name}`);
        return `${args[0]} >= ${unixSeconds(range.from)} AND ${args[0]} <= ${unixSeconds(range.to)}`;
      case "__unixEpochNanoFilter":
        if (args.length === 0) throw new MacroError(`missing time column argument for macro ${name}`);
        return `${args[0]} >= ${unixNanos(range.from)} AND ${args[0]} <= ${unixNanos(range.to)}`;
      case "__unixEpochNanoFrom":
        return String(unixNanos(range.from));
      case "__unixEpochNanoTo":
        return String(unixNanos(range.to));
      default:
        throw new MacroError(`unknown macro "${name}"`);
    }
  };

  const out = sql.replace(MACRO_REGEX, (match: string, name: string, rawArgs: string) => {
    let macro = name;
    // Pre-5.3 compatibility: `$__timeGroup(...)` directly followed by ',' gets ` AS "time"`. Like
    // Grafana, this looks at the FIRST occurrence of the same macro text in the query.
    if (macro === "__timeGroup") {
      const i = sql.indexOf(match);
      if (i >= 0 && sql.length > i + match.length && sql[i + match.length] === ",") macro = "__timeGroupAlias";
    }
    const args = rawArgs.split(",").map((a) => a.replace(/^ +| +$/g, ""));
    try {
      return evaluate(macro, args);
    } catch (e) {
      firstError ??= e as Error;
      return "macro_error()";
    }
  });
  if (firstError) throw firstError;
  return { sql: out, fill };
}

export interface PanelQueryContext {
  range: TimeRange;
  variables: TemplateVariable[];
  scopedVars?: Record<string, ScopedVar>;
  /** The panel's maxDataPoints (Grafana uses the panel's pixel width when unset). */
  maxDataPoints?: number;
  /** Panel min interval, else the data source's jsonData.timeInterval, else "1m". */
  minInterval?: string;
  timezone?: string;
  dashboard?: { title: string; uid: string };
  timescaledb?: boolean;
  now?: Date;
}

export interface ExpandedQuery {
  sql: string;
  interval: { text: string; ms: number };
  fill?: FillMode;
}

/** rawSql → the SQL PostgreSQL receives, through the frontend and the backend steps. */
export function expandPanelQuery(rawSql: string, ctx: PanelQueryContext): ExpandedQuery {
  const { interval, intervalMs } = calculateInterval(ctx.range, ctx.maxDataPoints ?? 1000, ctx.minInterval ?? SQL_DEFAULT_TIME_INTERVAL);
  const ictx: InterpolationContext = {
    variables: ctx.variables,
    scopedVars: {
      __interval: { value: interval, text: interval },
      __interval_ms: { value: intervalMs, text: String(intervalMs) },
      ...ctx.scopedVars,
    },
    range: ctx.range,
    timezone: ctx.timezone,
    dashboard: ctx.dashboard,
  };
  const frontend = interpolateVariables(rawSql, ictx);
  const globals = interpolateGlobals(frontend, ctx.range, BigInt(intervalMs) * NS.ms);
  const { sql, fill } = expandMacros(globals, ctx.range, { timescaledb: ctx.timescaledb, now: ctx.now });
  return { sql, interval: { text: interval, ms: intervalMs }, fill };
}
