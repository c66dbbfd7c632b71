// freshness: the partition that should exist by now does — D-1 by 10:00 KST for daily assets, the
// previous month by the 11th for KOEN. Evaluated for "today's" target: before the deadline a
// missing target is reported as a warning (not late yet), after it with the check's severity. The
// result is recorded with partition = the expected time key (D-1, or the month) and no unit.
import { graph } from "../../assets/catalog.ts";
import { DIMENSION_RESOLVERS } from "../../assets/dimensions.ts";
import { keyDimensions } from "../../assets/partitions.ts";
import type { Sql } from "../../db/resource.ts";
import { SOURCE_SCOPES, type SourceScope } from "../../sources/scope.ts";
import { addDays, addMonths, kstMidnight, monthEnd, monthStart, todayKst, yesterdayKst } from "../../time/kst.ts";
import type { CheckRow, Severity } from "./common.ts";

export type FreshnessRule = { kind: "daily"; deadlineHourKst: number } | { kind: "monthly"; deadlineDay: number };

export function freshnessTarget(rule: FreshnessRule, now: Date): { key: string; deadline: Date; due: boolean; label: string } {
  const today = todayKst(now);
  if (rule.kind === "daily") {
    const deadline = new Date(kstMidnight(today).getTime() + rule.deadlineHourKst * 3_600_000);
    return { key: yesterdayKst(now), deadline, due: now >= deadline, label: `D-1 due ${String(rule.deadlineHourKst).padStart(2, "0")}:00 KST` };
  }
  const key = monthStart(addMonths(today, -1));
  const deadline = kstMidnight(addDays(monthStart(today), rule.deadlineDay - 1));
  return { key, deadline, due: now >= deadline, label: `previous month due on the ${ordinal(rule.deadlineDay)}` };
}

const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;

export async function freshnessRow(
  sql: Sql,
  asset: string,
  rule: FreshnessRule,
  severity: Severity,
  now: Date,
): Promise<CheckRow & { severity: Severity }> {
  const def = graph.get(asset);
  const t = freshnessTarget(rule, now);
  const dims = keyDimensions(def.partitions);
  let expected: string[];
  if (dims.length === 1 && dims[0].kind === "dynamic") {
    const keys = await DIMENSION_RESOLVERS[dims[0].name](sql);
    expected = keys.filter((k) => !k.from || k.from <= t.key).map((k) => `${t.key}|${k.key}`);
  } else if (dims.length === 1 && dims[0].kind === "static") {
    expected = dims[0].keys.map((k) => `${t.key}|${k}`);
  } else {
    expected = [t.key];
  }
  const present = await sql<{ partition: string }[]>`
    select partition from ops.asset_partitions
    where asset = ${asset} and partition = any(${expected}::text[]) and status in ('success', 'empty')`;
  const have = new Set(present.map((r) => r.partition));
  // A month fetched while it was still running (KOEN) is not complete yet.
  const scope = Object.values(SOURCE_SCOPES as Record<string, SourceScope>).find((s) => s.asset.key === asset);
  if (scope?.alwaysPlan && rule.kind === "monthly") {
    for (const p of await scope.alwaysPlan(sql, { start: t.key, end: monthEnd(t.key) })) have.delete(p);
  }
  const missing = expected.filter((p) => !have.has(p));
  const what = (p: string) => (p.includes("|") ? p.slice(p.indexOf("|") + 1) : p);
  const passed = expected.length > 0 && missing.length === 0;
  const when = t.due ? `(${t.label})` : `(${t.label}: not late yet)`;
  const message = passed
    ? `${t.key} present${expected.length > 1 ? ` for all ${expected.length} units` : ""} ${when}`
    : expected.length === 0
      ? `${t.key}: no units expected ${when}`
      : `${t.key} missing${expected.length > 1 ? ` for ${missing.length} of ${expected.length} units (${missing.slice(0, 5).map(what).join(", ")}${missing.length > 5 ? ", …" : ""})` : ""} ${when}`;
  return {
    partition: t.key,
    day: t.key,
    unit: null,
    passed: passed || expected.length === 0,
    value: missing.length,
    message,
    severity: t.due ? severity : "warn",
  };
}
