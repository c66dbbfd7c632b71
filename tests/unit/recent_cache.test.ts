import { describe, expect, it } from "vitest";
import { RecentCache } from "../../f/lib/runtime/recent_cache.ts";

describe("RecentCache", () => {
  it("keeps its most recent entries, the oldest out first", () => {
    const c = new RecentCache<number>(3);
    for (const [k, v] of [["a", 1], ["b", 2], ["c", 3], ["d", 4]] as const) c.set(k, v);
    expect([c.get("a"), c.get("b"), c.get("c"), c.get("d")]).toEqual([undefined, 2, 3, 4]);
  });
  it("sets a key it holds again without letting another go", () => {
    const c = new RecentCache<number>(2);
    c.set("a", 1);
    c.set("b", 2);
    c.set("b", 3);
    expect([c.get("a"), c.get("b")]).toEqual([1, 3]);
  });
});

describe("RecentCache over many evictions", () => {
  it("keeps exactly the last `max` keys however many went before", () => {
    const c = new RecentCache<number>(5);
    for (let i = 0; i < 23; i++) c.set(`k${i}`, i);
    const kept = Array.from({ length: 23 }, (_, i) => c.get(`k${i}`)).filter((v) => v !== undefined);
    expect(kept).toEqual([18, 19, 20, 21, 22]);
  });
  it("holds one entry at size 1", () => {
    const c = new RecentCache<number>(1);
    c.set("a", 1);
    c.set("b", 2);
    expect([c.get("a"), c.get("b")]).toEqual([undefined, 2]);
  });
  it("refuses a size that could hold nothing", () => {
    expect(() => new RecentCache<number>(0)).toThrow(/size/);
  });
});
