// Checks and fill policies are part of the asset declaration (f/lib/assets/catalog.ts), as Dagster's
// AssetCheckSpec sits on its asset: `pvpipe assets` lists them, and a check that does not fit its
// asset's table is an error when the catalog loads, not in the middle of a backfill.
import { describe, expect, it } from "vitest";
import { ASSETS, asosHourly, graph, koenHourly, kospoHourly } from "../../f/lib/assets/catalog.ts";
import { validateQuality } from "../../f/lib/assets/declare.ts";
import { describeGraph, type AssetDef } from "../../f/lib/assets/graph.ts";
import { CHECKED_ASSETS, checkedAsset, fillModelOf, UnknownQualityAsset } from "../../f/lib/assets/quality.ts";
import { CheckDeclarationError } from "../../f/lib/quality/check_spec.ts";
import { dailyTotal } from "../../f/lib/quality/checks/daily_total.ts";
import { FillDeclarationError, PV_FILL_RULES, WEATHER_FILL_RULES } from "../../f/lib/quality/fill_model.ts";
import { cliEnv, runCli } from "../helpers/cli.ts";

describe("the asset declaration carries its checks and fill policy", () => {
  it("each hourly asset's fill model joins its source's table and its declared fill rules; raw assets declare no checks", () => {
    expect([kospoHourly.fillModel, koenHourly.fillModel, asosHourly.fillModel].map((m) => [m.asset, m.table, m.kind])).toEqual([
      ["kospo/hourly", "public.nambu_generation", "pv"],
      ["koen/hourly", "public.namdong_generation", "pv"],
      ["asos/hourly", "public.weather_asos", "weather"],
    ]);
    expect(kospoHourly.fillModel).toMatchObject({ fill: PV_FILL_RULES.kind === "pv" ? PV_FILL_RULES.fill : null, valueColumn: "generation", filledColumn: "generation_filled" });
    expect(asosHourly.fillModel).toMatchObject({ fields: WEATHER_FILL_RULES.kind === "weather" ? WEATHER_FILL_RULES.fields : null, filledSuffix: "_filled" });
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
    expect(fillModelOf("asos/hourly")).toBe(asosHourly.fillModel);
    expect(() => checkedAsset("kospo/raw")).toThrow(UnknownQualityAsset);
    expect(() => fillModelOf("nope/hourly")).toThrow(/^asset "nope\/hourly" declares no fill policy \(assets with fill policy: /);
  });

  it("a check that does not fit its asset's table fails when the catalog is validated", () => {
    const weatherWithDailyTotal: AssetDef = { ...asosHourly, checks: [dailyTotal()] };
    expect(() => validateQuality([weatherWithDailyTotal])).toThrow(CheckDeclarationError);
    expect(() => validateQuality([weatherWithDailyTotal])).toThrow("asset asos/hourly: check daily_total needs a PV table with a daily total column");
    expect(() => validateQuality([{ ...kospoHourly, checks: [dailyTotal(), dailyTotal()] }])).toThrow(/declared twice/);
    expect(() => validateQuality([{ ...kospoHourly, fillModel: undefined }])).toThrow(/needs the asset's table model/);
  });

  it("a PV asset's station reference must name a weather asset of the catalog that fills its field", () => {
    expect(() => validateQuality([kospoHourly, asosHourly])).not.toThrow();
    expect(() => validateQuality([kospoHourly])).toThrow("asset kospo/hourly: fill rules take their station reference from asos/hourly icsr, which is no weather asset's field");
    const pv = kospoHourly.fillModel!;
    if (pv.kind !== "pv") throw new Error("kospo/hourly is PV");
    const wrongField = { ...kospoHourly, fillModel: { ...pv, fill: { ...pv.fill, references: { ...pv.fill.references!, station: { ...pv.fill.references!.station!, field: "ghi" } } } } };
    expect(() => validateQuality([wrongField, asosHourly])).toThrow(FillDeclarationError);
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
