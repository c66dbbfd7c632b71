import { describe, expect, it } from "vitest";
import { keyOf, readKey } from "../../f/lib/assets/partition_key.ts";
import { daily, monthly, product, splitPartitionKey, staticKeys, timeKeys, timeWindow } from "../../f/lib/assets/partitions.ts";
import { chunkKeys } from "../../f/lib/planner/chunk.ts";
import { KOSPO_UNIT_CODEC } from "../../f/lib/sources/kospo/units.ts";
import { koen } from "../../f/lib/sources/koen/source.ts";

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
  it("a product's key text splits into its time key and its other dimensions", () => {
    const p = product(daily("2024-01-01"), staticKeys("plant", ["997S-1", "B997-2"]), staticKeys("metric", ["gen", "irr"]));
    expect(splitPartitionKey(p, "2024-01-01|997S-1|gen")).toEqual({ timeKey: "2024-01-01", pdim: "997S-1|gen" });
  });
  it("a partition key keeps its dimensions typed: written once, read back once (as Dagster's MultiPartitionKey)", () => {
    const k = keyOf(KOSPO_UNIT_CODEC, "2024-06-01", { gencd: "997S", hogi: 1 });
    expect(k).toEqual({ time: "2024-06-01", unit: { gencd: "997S", hogi: 1 }, text: "2024-06-01|997S-1" });
    expect(readKey(KOSPO_UNIT_CODEC, "2024-06-01|997S-1")).toEqual(k);
    expect(() => readKey(KOSPO_UNIT_CODEC, "2024-06-01")).toThrow(/has no unit/);
    expect(() => readKey(KOSPO_UNIT_CODEC, "2024-06-01|997S")).toThrow(/not a KOSPO unit key/);
    // A chunk's keys: one per time key of its range, with its unit parsed once.
    expect(chunkKeys(daily("2015-01-01"), KOSPO_UNIT_CODEC, { pdim: "997S-1", start: "2024-06-30", end: "2024-07-01" }).keys.map((x) => x.text)).toEqual([
      "2024-06-30|997S-1", "2024-07-01|997S-1",
    ]);
    // Without a unit dimension the key is the time key (a KOEN month holds every plant).
    expect(chunkKeys(monthly("2022-01-01"), koen.units.codec, { pdim: null, start: "2024-05-01", end: "2024-07-01" }).keys.map((x) => x.text)).toEqual([
      "2024-05-01", "2024-06-01", "2024-07-01",
    ]);
  });
  it("rejects keys with the separator and misplaced time dimensions", () => {
    expect(() => staticKeys("x", ["a|b"])).toThrow(/must not contain/);
    expect(() => product(staticKeys("x", ["a"]), daily("2024-01-01"))).toThrow(/first/);
    expect(() => product(daily("2024-01-01"), monthly("2024-01-01"))).toThrow(/at most one time/);
  });
});
