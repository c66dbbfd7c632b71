import { describe, expect, it } from "vitest";
import { AssetCycleError, buildGraph, topoSort, type AssetDef, UnknownAssetError } from "../../f/lib/assets/graph.ts";
import { graph } from "../../f/lib/assets/catalog.ts";
import { daily } from "../../f/lib/assets/partitions.ts";

const a = (key: string, deps: string[]): AssetDef => ({ key, deps, description: key, partitions: daily("2024-01-01"), codeVersion: "1", step: "f/pv/x" });

describe("asset graph", () => {
  it("orders upstream first", () => {
    const order = topoSort([a("c", ["b"]), a("b", ["a"]), a("a", [])]);
    expect(order).toEqual(["a", "b", "c"]);
  });
  it("names the cycle", () => {
    expect(() => topoSort([a("x", ["z"]), a("y", ["x"]), a("z", ["y"])])).toThrow(AssetCycleError);
    try {
      topoSort([a("x", ["z"]), a("y", ["x"]), a("z", ["y"])]);
    } catch (e) {
      expect((e as AssetCycleError).cycle).toEqual(["x", "z", "y", "x"]);
      expect((e as Error).message).toBe("asset graph has a cycle: x → z → y → x");
    }
  });
  it("rejects unknown deps and duplicate keys", () => {
    expect(() => buildGraph([a("x", ["nope"])])).toThrow(UnknownAssetError);
    expect(() => buildGraph([a("x", []), a("x", [])])).toThrow(/defined twice/);
  });
  it("the project's catalog is a DAG with kospo/raw before kospo/hourly", () => {
    expect(graph.order.indexOf("kospo/raw")).toBeLessThan(graph.order.indexOf("kospo/hourly"));
    expect(graph.downstream("kospo/raw")).toContain("kospo/hourly");
  });
});
