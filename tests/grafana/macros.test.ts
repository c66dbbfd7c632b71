// The macro expander against Grafana's own expectations: the cases of grafana/grafana
// pkg/tsdb/grafana-postgresql-datasource/macros_test.go, sqleng Interpolate, gtime, rangeutil, and
// the frontend's variable formatting (scenes formatRegistry, grafana-sql interpolateVariable).
import { describe, expect, it } from "vitest";
import { formatGrafanaInterval, goFormatFloatV, NS, parseGoDuration, parseGrafanaInterval, rfc3339Nano } from "../../src/grafana/gotime.ts";
import { calculateInterval, roundInterval, secondsToHms } from "../../src/grafana/interval.ts";
import { expandMacros, expandPanelQuery, interpolateGlobals, MacroError } from "../../src/grafana/macros.ts";
import { interpolateVariables, type TemplateVariable } from "../../src/grafana/template.ts";
import { parseRelative, resolveRange } from "../../src/grafana/timerange.ts";

const from = Date.UTC(2018, 3, 12, 18, 0, 0);
const to = from + 5 * 60_000;
const range = { from, to };
const m = (sql: string, opts = {}) => expandMacros(sql, range, opts).sql;

describe("postgres macro engine (macros_test.go, range 2018-04-12 18:00Z → 18:05Z)", () => {
  it("$__time, $__timeEpoch", () => {
    expect(m("select $__time(time_column)")).toBe('select time_column AS "time"');
    expect(m("select min($__time(time_column))")).toBe('select min(time_column AS "time")');
    expect(m("select $__timeEpoch(time_column)")).toBe('select extract(epoch from time_column) as "time"');
  });

  it("$__timeFilter, $__timeFrom(), $__timeTo(): RFC3339Nano UTC, BETWEEN inclusive", () => {
    expect(m("WHERE $__timeFilter(time_column)")).toBe("WHERE time_column BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00Z'");
    expect(m("select $__timeFrom()")).toBe("select '2018-04-12T18:00:00Z'");
    expect(m("select $__timeTo()")).toBe("select '2018-04-12T18:05:00Z'");
  });

  it("$__timeGroup: pre-5.3 alias when followed by ',', plain otherwise; $__timeGroupAlias adds AS \"time\"", () => {
    expect(m("SELECT $__timeGroup(time_column,'5m'), value")).toBe('SELECT floor(extract(epoch from time_column)/300)*300 AS "time", value');
    expect(m("SELECT $__timeGroup(time_column,'5m') as time, value")).toBe("SELECT floor(extract(epoch from time_column)/300)*300 as time, value");
    expect(m("SELECT $__timeGroup(time_column,'5m')")).toBe("SELECT floor(extract(epoch from time_column)/300)*300");
    expect(m("SELECT $__timeGroupAlias(time_column,'5m')")).toBe('SELECT floor(extract(epoch from time_column)/300)*300 AS "time"');
    expect(m("$__timeGroup(time_column , '5m')")).toBe("floor(extract(epoch from time_column)/300)*300");
    expect(m("$__timeGroupAlias(time_column , '5m')")).toBe('floor(extract(epoch from time_column)/300)*300 AS "time"');
  });

  it("$__timeGroup with TimescaleDB: time_bucket('%.3fs',col)", () => {
    expect(m("GROUP BY $__timeGroup(time_column,'5m')", { timescaledb: true })).toBe("GROUP BY time_bucket('300.000s',time_column)");
    expect(m("GROUP BY $__timeGroup(time_column , '12d')", { timescaledb: true })).toBe("GROUP BY time_bucket('1036800.000s',time_column)");
    expect(m("GROUP BY $__timeGroup(time_column , '20ms')", { timescaledb: true })).toBe("GROUP BY time_bucket('0.020s',time_column)");
  });

  it("interval seconds are printed with Go's %v (shortest %g: exponent form from 1e6)", () => {
    expect(m("$__timeGroup(t, '1h')")).toBe("floor(extract(epoch from t)/3600)*3600");
    expect(m("$__timeGroup(t, '1d')")).toBe("floor(extract(epoch from t)/86400)*86400");
    expect(m("$__timeGroup(t, '1w')")).toBe("floor(extract(epoch from t)/604800)*604800");
    expect(m("$__timeGroup(t, '30d')")).toBe("floor(extract(epoch from t)/2.592e+06)*2.592e+06");
    expect(m("$__timeGroup(t, 500ms)")).toBe("floor(extract(epoch from t)/0.5)*0.5");
    expect(m("$__timeGroup(t, 1h30m)")).toBe("floor(extract(epoch from t)/5400)*5400");
  });

  it("fill argument: NULL / previous / a number, anything else is an error", () => {
    expect(expandMacros("$__timeGroup(t,'5m', NULL)", range).fill).toEqual({ mode: "null", intervalSeconds: 300 });
    expect(expandMacros("$__timeGroup(t,'5m',previous)", range).fill).toEqual({ mode: "previous", intervalSeconds: 300 });
    expect(expandMacros("$__timeGroup(t,'1h',0)", range).fill).toEqual({ mode: "value", value: 0, intervalSeconds: 3600 });
    expect(() => m("$__timeGroup(t,'1h',zero)")).toThrow(/error parsing fill value zero/);
  });

  it("$__unixEpoch* macros", () => {
    expect(m("select $__unixEpochFilter(time)")).toBe("select time >= 1523556000 AND time <= 1523556300");
    expect(m("select $__unixEpochNanoFilter(time)")).toBe("select time >= 1523556000000000000 AND time <= 1523556300000000000");
    expect(m("select $__unixEpochNanoFrom()")).toBe("select 1523556000000000000");
    expect(m("select $__unixEpochNanoTo()")).toBe("select 1523556300000000000");
    expect(m("SELECT $__unixEpochGroup(time_column+time_adjustment,'5m')")).toBe("SELECT floor((time_column+time_adjustment)/300)*300");
    expect(m("SELECT $__unixEpochGroupAlias(time_column+time_adjustment,'5m')")).toBe('SELECT floor((time_column+time_adjustment)/300)*300 AS "time"');
  });

  it("ranges before 1970 and with fractional seconds (RFC3339Nano trims trailing zeros)", () => {
    const r = { from: Date.UTC(1960, 1, 1, 7, 0, 0, 500), to: Date.UTC(1980, 1, 3, 8, 0, 0, 500) };
    expect(expandMacros("WHERE $__timeFilter(time_column)", r).sql).toBe("WHERE time_column BETWEEN '1960-02-01T07:00:00.5Z' AND '1980-02-03T08:00:00.5Z'");
    const r2 = { from: Date.UTC(1960, 1, 1, 7), to: Date.UTC(1965, 1, 3, 8) };
    expect(expandMacros("select $__unixEpochFilter(time)", r2).sql).toBe("select time >= -312915600 AND time <= -154886400");
  });

  it("errors: unknown macros and missing arguments fail the query, as in Grafana", () => {
    expect(() => m("select $__nope(x)")).toThrow(MacroError);
    // Go splits "" into one empty argument: no error, an empty column.
    expect(m("select $__timeFilter()")).toBe("select  BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00Z'");
    expect(() => m("SELECT $__timeGroup(t)")).toThrow(/needs time column and interval/);
    expect(() => m("SELECT $__timeGroup(t, 'soon')")).toThrow(/error parsing interval 'soon'/);
  });

  it("the pre-5.3 check looks at the first occurrence of the same macro text", () => {
    // Both calls get the alias because the first occurrence is followed by ','.
    expect(m("SELECT $__timeGroup(t,'1h'), x GROUP BY $__timeGroup(t,'1h')")).toBe(
      'SELECT floor(extract(epoch from t)/3600)*3600 AS "time", x GROUP BY floor(extract(epoch from t)/3600)*3600 AS "time"',
    );
  });
});

describe("global substitutions (sqleng Interpolate)", () => {
  it("$__interval_ms before $__interval, $__unixEpochFrom()/To()", () => {
    expect(interpolateGlobals("SELECT $__interval, $__interval_ms, $__unixEpochFrom(), $__unixEpochTo()", range, 10n * NS.m)).toBe(
      "SELECT 10m, 600000, 1523556000, 1523556300",
    );
  });
});

describe("Go time helpers", () => {
  it("time.ParseDuration and gtime.ParseInterval", () => {
    expect(parseGoDuration("1h30m")).toBe(90n * NS.m);
    expect(parseGoDuration("1.5h")).toBe(90n * NS.m);
    expect(parseGoDuration("300ms")).toBe(300n * NS.ms);
    expect(() => parseGoDuration("5")).toThrow(/missing unit/);
    expect(() => parseGoDuration("1y")).toThrow(/unknown unit/);
    expect(parseGrafanaInterval("2d")).toBe(48n * NS.h);
    expect(parseGrafanaInterval("1w")).toBe(168n * NS.h);
    // calendar months and years depend on "now" (UTC AddDate)
    expect(parseGrafanaInterval("1M", new Date(Date.UTC(2024, 1, 10)))).toBe(29n * 24n * NS.h);
    expect(parseGrafanaInterval("1y", new Date(Date.UTC(2023, 5, 1)))).toBe(366n * 24n * NS.h);
  });

  it("gtime.FormatInterval", () => {
    expect(formatGrafanaInterval(10n * NS.m)).toBe("10m");
    expect(formatGrafanaInterval(90n * NS.m)).toBe("1h");
    expect(formatGrafanaInterval(36n * NS.h)).toBe("1d");
    expect(formatGrafanaInterval(400n * 24n * NS.h)).toBe("1y");
    expect(formatGrafanaInterval(1500n * NS.ms)).toBe("1s");
    expect(formatGrafanaInterval(5n)).toBe("1ms");
  });

  it("fmt %v of float64", () => {
    expect(goFormatFloatV(300)).toBe("300");
    expect(goFormatFloatV(0.02)).toBe("0.02");
    expect(goFormatFloatV(999999)).toBe("999999");
    expect(goFormatFloatV(1e6)).toBe("1e+06");
    expect(goFormatFloatV(31536000)).toBe("3.1536e+07");
    expect(goFormatFloatV(0.00001)).toBe("1e-05");
    expect(goFormatFloatV(0.0001)).toBe("0.0001");
  });

  it("RFC3339Nano", () => {
    expect(rfc3339Nano(Date.UTC(2024, 5, 1, 0, 0, 0, 120))).toBe("2024-06-01T00:00:00.12Z");
  });
});

describe("$__interval as the frontend computes it (rangeutil)", () => {
  it("roundInterval, secondsToHms, calculateInterval with the SQL data sources' 1m floor", () => {
    expect(roundInterval(604.8)).toBe(500);
    expect(roundInterval(604_800)).toBe(600_000);
    expect(roundInterval(1_209_600)).toBe(1_200_000);
    expect(secondsToHms(3600)).toBe("1h");
    expect(secondsToHms(5400)).toBe("1h");
    expect(secondsToHms(0.5)).toBe("500ms");
    const week = { from: 0, to: 7 * 86_400_000 };
    expect(calculateInterval(week, 1000)).toEqual({ intervalMs: 600_000, interval: "10m" });
    expect(calculateInterval(week, 1000, "1h")).toEqual({ intervalMs: 3_600_000, interval: "1h" });
    expect(calculateInterval({ from: 0, to: 3_600_000 }, 1000, "1m")).toEqual({ intervalMs: 60_000, interval: "1m" });
  });
});

describe("dashboard variables (frontend interpolation for a SQL data source)", () => {
  const plant: TemplateVariable = {
    name: "plant",
    multi: true,
    includeAll: true,
    options: [
      { text: "신인천 주차장", value: "kospo:9985-1" },
      { text: "O'Brien", value: "koen:O'Brien-1" },
    ],
    current: ["kospo:9985-1"],
  };
  const single: TemplateVariable = { name: "unit", options: [{ text: "1", value: "1" }], current: "1" };
  const ctx = (vars: TemplateVariable[]) => ({ variables: vars });

  it("multi/include-all variables are quoted ('a','b'), quotes doubled; All = every option", () => {
    expect(interpolateVariables("IN ($plant)", ctx([plant]))).toBe("IN ('kospo:9985-1')");
    const all = { ...plant, current: ["$__all"] };
    expect(interpolateVariables("IN ($plant)", ctx([all]))).toBe("IN ('kospo:9985-1','koen:O''Brien-1')");
    expect(interpolateVariables("IN (${plant})", ctx([all]))).toBe("IN ('kospo:9985-1','koen:O''Brien-1')");
    expect(interpolateVariables("IN ([[plant]])", ctx([all]))).toBe("IN ('kospo:9985-1','koen:O''Brien-1')");
  });

  it("a single-value variable is inserted with quotes doubled but not wrapped (write '$var')", () => {
    expect(interpolateVariables("hogi = $unit AND x = '$unit'", ctx([single]))).toBe("hogi = 1 AND x = '1'");
    expect(interpolateVariables("'$v'", ctx([{ name: "v", options: [], current: "it's" }]))).toBe("'it''s'");
  });

  it("explicit formats: csv, sqlstring, singlequote, doublequote, pipe, raw, regex, text, glob, json", () => {
    const all = { ...plant, current: ["$__all"] };
    const c = ctx([all]);
    expect(interpolateVariables("${plant:csv}", c)).toBe("kospo:9985-1,koen:O'Brien-1");
    expect(interpolateVariables("${plant:sqlstring}", c)).toBe("'kospo:9985-1','koen:O''Brien-1'");
    expect(interpolateVariables("${plant:singlequote}", c)).toBe("'kospo:9985-1','koen:O\\'Brien-1'");
    expect(interpolateVariables("${plant:doublequote}", c)).toBe('"kospo:9985-1","koen:O\'Brien-1"');
    expect(interpolateVariables("${plant:pipe}", c)).toBe("kospo:9985-1|koen:O'Brien-1");
    expect(interpolateVariables("${plant:raw}", c)).toBe("kospo:9985-1,koen:O'Brien-1");
    expect(interpolateVariables("${plant:regex}", c)).toBe("(kospo:9985-1|koen:O'Brien-1)");
    expect(interpolateVariables("${plant:text}", c)).toBe("All");
    expect(interpolateVariables("${plant:glob}", c)).toBe("{kospo:9985-1,koen:O'Brien-1}");
    expect(interpolateVariables("${plant:json}", c)).toBe('["kospo:9985-1","koen:O\'Brien-1"]');
    expect(interpolateVariables("${plant:text}", ctx([plant]))).toBe("신인천 주차장");
    expect(interpolateVariables("${plant:sqlstring}", ctx([{ ...plant, current: "kospo:9985-1" }]))).toBe("'kospo:9985-1'");
  });

  it("a custom all value is inserted unformatted", () => {
    const all = { ...plant, current: "$__all", allValue: ".*" };
    expect(interpolateVariables("~ '$plant'", ctx([all]))).toBe("~ '.*'");
  });

  it("unknown names (and the backend macros) are left as written", () => {
    expect(interpolateVariables("WHERE $__timeFilter(t) AND $nope", ctx([plant]))).toBe("WHERE $__timeFilter(t) AND $nope");
  });

  it("repeated panels: the scoped value keeps the variable's multi flag (quoted)", () => {
    expect(interpolateVariables("IN ($plant)", { variables: [plant], scopedVars: { plant: { value: "koen:x-1", multi: true, includeAll: true } } })).toBe(
      "IN ('koen:x-1')",
    );
  });
});

describe("the whole pipeline a panel query goes through", () => {
  it("variables, $__interval, then the backend macros", () => {
    const r = { from: Date.UTC(2024, 5, 1, 15), to: Date.UTC(2024, 5, 8, 15) };
    const out = expandPanelQuery("SELECT $__timeGroupAlias(t, $__interval), $__interval_ms FROM x WHERE $__timeFilter(t) AND p IN (${p:sqlstring})", {
      range: r,
      variables: [{ name: "p", multi: true, includeAll: true, options: [{ text: "a", value: "a" }], current: ["$__all"] }],
      maxDataPoints: 1000,
      minInterval: "1h",
    });
    expect(out.interval).toEqual({ text: "1h", ms: 3_600_000 });
    expect(out.sql).toBe(
      `SELECT floor(extract(epoch from t)/3600)*3600 AS "time", 3600000 FROM x WHERE t BETWEEN '2024-06-01T15:00:00Z' AND '2024-06-08T15:00:00Z' AND p IN ('a')`,
    );
  });

  it("relative ranges resolve in KST (now-1M/M = the 1st of last month, 00:00 KST)", () => {
    const now = Date.UTC(2026, 10, 27, 9, 30); // 2026-11-27 18:30 KST
    expect(resolveRange({ from: "now-1M/M", to: "now" }, now)).toEqual({ from: Date.UTC(2026, 8, 30, 15), to: now });
    expect(resolveRange({ from: "now-7d", to: "now" }, now).from).toBe(now - 7 * 86_400_000);
    expect(resolveRange({ from: "now/d", to: "now/d" }, now)).toEqual({ from: Date.UTC(2026, 10, 26, 15), to: Date.UTC(2026, 10, 27, 15) - 1 });
  });

  it("month and year steps clamp the day as moment does (Dec 31 − 1M = Nov 30, Feb 29 − 1y = Feb 28)", () => {
    const kst = (s: string) => Date.parse(`${s}+09:00`);
    // Without clamping, Nov 31 would roll over to Dec 1 and "now-1M/M" would start in December.
    expect(resolveRange({ from: "now-1M/M", to: "now" }, kst("2026-12-31T23:30:00")).from).toBe(kst("2026-11-01T00:00:00"));
    expect(parseRelative("now-1M", { now: kst("2026-12-31T23:30:00"), roundUp: false })).toBe(kst("2026-11-30T23:30:00"));
    expect(parseRelative("now-1M", { now: kst("2027-03-31T12:00:00"), roundUp: false })).toBe(kst("2027-02-28T12:00:00"));
    expect(parseRelative("now-1y", { now: kst("2028-02-29T12:00:00"), roundUp: false })).toBe(kst("2027-02-28T12:00:00"));
    expect(parseRelative("now+1M", { now: kst("2027-01-31T00:10:00"), roundUp: false })).toBe(kst("2027-02-28T00:10:00"));
    expect(parseRelative("now-13M", { now: kst("2027-01-15T00:00:00"), roundUp: false })).toBe(kst("2025-12-15T00:00:00"));
  });
});
