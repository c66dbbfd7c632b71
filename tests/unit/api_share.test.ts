// A run's API budget shared by its chunks in flight (f/lib/load/api_share.ts): at any parallelism
// the chunks together never ask more than the budget, a chunk never asks more than it had at the
// default parallelism, and the backfill flow hands its parallelism to every collect step.
import { describe, expect, it } from "vitest";
import { chunkShare, RUN_API_BUDGET } from "../../f/lib/load/api_share.ts";
import { backfill } from "../../flows/backfill.ts";
import { BACKFILL_PARALLELISM } from "../../flows/inputs.ts";
import { stepsOf } from "../../src/flow/dsl.ts";

const PARALLELISMS = Array.from({ length: 16 }, (_, i) => i + 1);

describe("chunkShare", () => {
  it("keeps the chunks in flight within the run's budget at every parallelism of 1..16", () => {
    for (const p of PARALLELISMS) {
      const s = chunkShare(p);
      expect(s.concurrency).toBeGreaterThanOrEqual(1);
      expect(Number.isInteger(s.requestsPerSecond) && s.requestsPerSecond >= 1).toBe(true); // the client's limiter takes whole requests per second
      // A chunk needs at least one request in flight; beyond 16 chunks that alone exceeds the budget.
      expect(p * s.concurrency).toBeLessThanOrEqual(Math.max(RUN_API_BUDGET.inFlight, p));
      expect(p * s.requestsPerSecond).toBeLessThanOrEqual(RUN_API_BUDGET.requestsPerSecond);
      // From 4 chunks on, whole requests per second still use ≥ 90 % of the budget.
      if (p >= 4) expect(p * s.requestsPerSecond).toBeGreaterThanOrEqual(0.9 * RUN_API_BUDGET.requestsPerSecond);
    }
  });

  it("gives a chunk what it had before the budget was shared (4 in flight, 25/s) up to 4 chunks, and splits it beyond", () => {
    for (const p of [1, 2, 3, 4]) expect(chunkShare(p)).toEqual({ concurrency: 4, requestsPerSecond: 25 });
    expect(chunkShare(8)).toEqual({ concurrency: 2, requestsPerSecond: 12 });
    expect(chunkShare(16)).toEqual({ concurrency: 1, requestsPerSecond: 6 });
  });

  it("rejects a parallelism that is not a positive integer", () => {
    expect(() => chunkShare(0)).toThrow("chunks in flight must be a positive integer, got 0");
    expect(() => chunkShare(2.5)).toThrow(RangeError);
  });
});

describe("the backfill flow", () => {
  it("runs 12 chunks at a time by default and tells each collect step the loop's parallelism", () => {
    expect(BACKFILL_PARALLELISM).toBe(12);
    expect(backfill.input.parse({ source: "kospo", start: "2024-01-01", end: "2024-01-31" }).parallelism).toBe(BACKFILL_PARALLELISM);
    const collects = stepsOf(backfill.modules).filter((s) => s.step.id.endsWith("_collect"));
    expect(collects.length).toBeGreaterThan(0);
    for (const c of collects) expect(c.step.args.chunks_in_flight).toEqual({ kind: "input", name: "parallelism" });
  });
});
