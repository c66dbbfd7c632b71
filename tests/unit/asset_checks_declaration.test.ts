// Checks and fill policies are part of the asset declaration (f/lib/assets/catalog.ts), as Dagster's
// AssetCheckSpec sits on its asset: `pvpipe assets` lists them, and a check that does not fit its
// asset's table is an error when the catalog loads, not in the middle of a backfill.
import { describe, expect, it } from "vitest";
import { ASSETS, asosHourly, graph, koenHourly, kospoHourly, validateQuality } from "../../f/lib/assets/catalog.ts";
import { describeGraph, type AssetDef } from "../../f/lib/assets/graph.ts";
import { CHECKED_ASSETS, checkedAsset, fillPolicyOf, UnknownQualityAsset } from "../../f/lib/assets/quality.ts";
import { CheckDeclarationError } from "../../f/lib/quality/check_spec.ts";
import { dailyTotal } from "../../f/lib/quality/checks/daily_total.ts";
import { ASOS_HOURLY_POLICY, KOEN_HOURLY_POLICY, KOSPO_HOURLY_POLICY } from "../../f/lib/quality/policies.ts";
import { cliEnv, runCli } from "../helpers/cli.ts";

describe("the asset declaration carries its checks and fill policy", () => {
  it("each hourly asset references its policy object and declares its checks; raw assets declare none", () => {
    expect([kospoHourly.fillPolicy, koenHourly.fillPolicy, asosHourly.fillPolicy]).toEqual([KOSPO_HOURLY_POLICY, KOEN_HOURLY_POLICY, ASOS_HOURLY_POLICY]);
    expect(kospoHourly.fillPolicy).toBe(KOSPO_HOURLY_POLICY);
    expect(CHECKED_ASSETS.map((a) => a.key).sort()).toEqual(["asos/hourly", "koen/hourly", "kospo/hourly"]);
    const names = (a: AssetDef) => (a.checks ?? []).map((c) => `${c.name}:${c.severity}${c.blocking ? ":blocking" : ""}`);
    expect(names(kospoHourly)).toEqual([
      "completeness:warn", "night_generation:error", "impossible_values:error:blocking", "daily_total:warn",
      "repeated_daily_total:warn", "one_cell_day:error", "stuck_values:warn", "zero_day:warn", "freshness:error",
    ]);
    expect(names(asosHourly)).toEqual(["completeness:warn", "impossible_values:error:blocking", "freshness:error"]);
    for (const a of ASSETS.filter((x) => x.key.endsWith("/raw"))) expect(a.checks ?? [], a.key).toEqual([]);
    for (const a of CHECKED_ASSETS) for (const c of a.checks) expect(c.description.length, `${a.key} ${c.name}`).toBeGreaterThan(10);
  });

  it("lookups by key go through the declaration; an asset without one is a typed, non-retryable error", () => {
    expect(checkedAsset("koen/hourly")).toBe(koenHourly);
    expect(fillPolicyOf("asos/hourly")).toBe(ASOS_HOURLY_POLICY);
    expect(() => checkedAsset("kospo/raw")).toThrow(UnknownQualityAsset);
    expect(() => fillPolicyOf("nope/hourly")).toThrow(/^asset "nope\/hourly" declares no fill policy \(assets with fill policy: /);
  });

  it("a check that does not fit its asset's table fails when the catalog is validated", () => {
    const weatherWithDailyTotal: AssetDef = { ...asosHourly, checks: [dailyTotal()] };
    expect(() => validateQuality([weatherWithDailyTotal])).toThrow(CheckDeclarationError);
    expect(() => validateQuality([weatherWithDailyTotal])).toThrow("asset asos/hourly: check daily_total needs a PV table with a daily total column");
    expect(() => validateQuality([{ ...kospoHourly, checks: [dailyTotal(), dailyTotal()] }])).toThrow(/declared twice/);
    expect(() => validateQuality([{ ...kospoHourly, fillPolicy: undefined }])).toThrow(/needs the asset's table model/);
  });

  it("`pvpipe assets` lists every asset with its fill policy and checks (severity, blocking, meaning)", async () => {
    expect(describeGraph(graph)).toContain("kospo/hourly ← kospo/raw");
    const r = await runCli(["assets"], cliEnv());
    expect(r.code, r.stderr).toBe(0);
    const block = r.stdout.slice(r.stdout.indexOf("koen/hourly ← koen/raw"));
    const lines = block.split("\n").slice(1, 12);
    expect(lines[0]).toBe("  fill policy: pv, fills public.namdong_generation.generation_filled");
    expect(lines).toContain("  check impossible_values     error blocking  no negative values, no hour above 1.2 × capacity");
    expect(lines.filter((l) => l.startsWith("  check "))).toHaveLength(koenHourly.checks!.length);
    expect(lines.some((l) => /^ {2}check freshness\s+error\s+the previous month present by the 11th \(partial until the 10th\)$/.test(l))).toBe(true);
  });
});
