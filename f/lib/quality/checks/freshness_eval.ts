// Evaluate an asset's freshness rule against ops.asset_partitions: which units' target partition
// is materialized, and (monthly) whether it was loaded after the month became final.
import type { AssetDef } from "../../assets/graph.ts";
import { DIMENSION_RESOLVERS } from "../../assets/dimensions.ts";
import { keyDimensions } from "../../assets/partitions.ts";
import type { Sql } from "../../db/resource.ts";
import type { FreshnessRule, Severity } from "../check_spec.ts";
import { freshnessTarget, ordinal } from "./freshness.ts";

export interface FreshnessOutcome {
  partition: string;
  day: string;
  passed: boolean;
  /** Units (partitions) missing. */
  value: number;
  message: string;
  severity: Severity;
  state: "fresh" | "partial" | "not late yet" | "late" | "no units";
  /** The state as people read it: `partial (final after the 10th)`. */
  label: string;
}

export async function evaluateFreshness(sql: Sql, asset: AssetDef, rule: FreshnessRule, severity: Severity, now: Date): Promise<FreshnessOutcome> {
  const t = freshnessTarget(rule, now);
  const dims = keyDimensions(asset.partitions);
  let expected: string[];
  if (dims.length === 1 && dims[0].kind === "dynamic") {
    const keys = await DIMENSION_RESOLVERS[dims[0].name](sql);
    expected = keys.filter((k) => !k.from || k.from <= t.key).map((k) => `${t.key}|${k.key}`);
  } else if (dims.length === 1 && dims[0].kind === "static") {
    expected = dims[0].keys.map((k) => `${t.key}|${k}`);
  } else {
    expected = [t.key];
  }
  const present = await sql<{ partition: string; materialized_at: Date }[]>`
    select partition, materialized_at from ops.asset_partitions
    where asset = ${asset.key} and partition = any(${expected}::text[]) and status in ('success', 'empty')`;
  const have = new Set(present.map((r) => r.partition));
  const missing = expected.filter((p) => !have.has(p));
  const what = (p: string) => (p.includes("|") ? p.slice(p.indexOf("|") + 1) : p);
  const when = t.due ? `(${t.label})` : `(${t.label}: not late yet)`;
  const base = { partition: t.key, day: t.key, value: missing.length };
  if (expected.length === 0) return { ...base, passed: true, severity: "warn", state: "no units", label: "no units", message: `${t.key}: no units expected ${when}` };
  if (missing.length > 0) {
    const units = expected.length > 1 ? ` for ${missing.length} of ${expected.length} units (${missing.slice(0, 5).map(what).join(", ")}${missing.length > 5 ? ", …" : ""})` : "";
    const state = t.due ? "late" : "not late yet";
    return { ...base, passed: false, severity: t.due ? severity : "warn", state, label: state, message: `${t.key} missing${units} ${when}` };
  }
  // Loaded before the month was final: the source may still complete it; a later run fetches it again.
  const partial = t.finalFrom !== null && present.some((r) => r.materialized_at < t.finalFrom!);
  if (partial && rule.kind === "monthly" && rule.finalFromDay) {
    const final = `final after the ${ordinal(rule.finalFromDay)}`;
    if (!t.due) return { ...base, passed: true, severity: "warn", state: "partial", label: `partial (${final})`, message: `${t.key} partial (${final})` };
    return { ...base, passed: false, severity, state: "late", label: "late", message: `${t.key} still partial (${final}; ${t.label})` };
  }
  return {
    ...base,
    passed: true,
    severity,
    state: "fresh",
    label: "fresh",
    message: `${t.key} present${expected.length > 1 ? ` for all ${expected.length} units` : ""} ${when}`,
  };
}
