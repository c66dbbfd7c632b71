import { describe, expect, it } from "vitest";
import { allKeys, daily, dynamicKeys, monthly, product, splitPartitionKey, staticKeys, timeKeys, timeWindow } from "../../f/lib/assets/partitions.ts";

describe("partitions", () => {
  it("daily keys clip to the definition's start and cross month ends and leap days", () => {
    const d = daily("2024-02-27");
    expect(timeKeys(d, "2024-02-01", "2024-03-01")).toEqual(["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"]);
  });
  it("monthly keys are first days; windows end on the month's last day", () => {
    const m = monthly("2024-01-15");
    expect(m.start).toBe("2024-01-01");
    expect(timeKeys(m, "2024-01-20", "2024-03-05")).toEqual(["2024-01-01", "2024-02-01", "2024-03-01"]);
    expect(timeWindow(m, "2024-02-01")).toEqual({ start: "2024-02-01", end: "2024-02-29" });
  });
  it("products of three dimensions make date|a|b keys", async () => {
    const p = product(daily("2024-01-01"), staticKeys("plant", ["997S-1", "B997-2"]), staticKeys("metric", ["gen", "irr"]));
    const keys = await allKeys(p, "2024-01-01", "2024-01-02", () => []);
    expect(keys).toHaveLength(8);
    expect(keys[0]).toBe("2024-01-01|997S-1|gen");
    expect(splitPartitionKey(p, "2024-01-01|997S-1|gen")).toEqual({ timeKey: "2024-01-01", pdim: "997S-1|gen" });
  });
  it("dynamic dimensions are resolved at plan time", async () => {
    const p = product(daily("2024-01-01"), dynamicKeys("kospo_unit"));
    const keys = await allKeys(p, "2024-01-01", "2024-01-01", (d) => (d.name === "kospo_unit" ? ["997S-1"] : []));
    expect(keys).toEqual(["2024-01-01|997S-1"]);
  });
  it("rejects keys with the separator and misplaced time dimensions", () => {
    expect(() => staticKeys("x", ["a|b"])).toThrow(/must not contain/);
    expect(() => product(staticKeys("x", ["a"]), daily("2024-01-01"))).toThrow(/first/);
    expect(() => product(daily("2024-01-01"), monthly("2024-01-01"))).toThrow(/at most one time/);
  });
});
