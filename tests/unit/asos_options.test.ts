import { describe, expect, it } from "vitest";
import { backfillOptions } from "../../src/cli/backfill_options.ts";
import { parseOptions } from "../../src/cli/options.ts";
import { UsageError } from "../../src/config/errors.ts";
import { dataGoKrKey, readEnv } from "../../src/config/env.ts";

const base = { source: "asos", start: "2024-06-01", end: "2024-06-02" };

describe("backfill options for --source asos", () => {
  it("accepts --source asos with repeatable --station ids of known stations", () => {
    const o = parseOptions(backfillOptions, { ...base, station: ["108", "255"] });
    expect(o.source).toBe("asos");
    expect(o.station).toEqual([108, 255]);
    expect(parseOptions(backfillOptions, base).station).toBeUndefined();
  });

  it.each([
    [{ station: ["999"] }, /--station: unknown ASOS station 999/],
    [{ station: ["abc"] }, /--station: must be an ASOS station id/],
    [{ station: ["108"], source: "kospo" }, /--station: applies to --source asos only/],
    [{ gencd: "997S" }, /--gencd: applies to --source kospo only/],
    [{ source: "weather" }, /--source must be .*asos/],
  ])("%j is a usage error", (over, msg) => {
    expect(() => parseOptions(backfillOptions, { ...base, ...over })).toThrow(UsageError);
    expect(() => parseOptions(backfillOptions, { ...base, ...over })).toThrow(msg);
  });
});

describe("ASOS key", () => {
  it("comes from ASOS_API_KEY, else DATA_GO_KR_API_KEY, and names its variable", () => {
    expect(dataGoKrKey(readEnv({ ASOS_API_KEY: "a", DATA_GO_KR_API_KEY: "b" }), "ASOS_API_KEY")).toEqual({ key: "a", name: "ASOS_API_KEY" });
    expect(dataGoKrKey(readEnv({ ASOS_API_KEY: " ", DATA_GO_KR_API_KEY: "b" }), "ASOS_API_KEY")).toEqual({ key: "b", name: "DATA_GO_KR_API_KEY" });
    expect(dataGoKrKey(readEnv({ NAMBU_API_KEY: "n" }), "ASOS_API_KEY")).toBeNull();
  });
});
