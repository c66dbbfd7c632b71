// `expect(xs.every(p)).toBe(true)` passes on an empty list and says nothing about which item broke
// the rule. expectEvery asserts there is something to check, then shows every item that fails.
import { expect } from "vitest";

export function expectEvery<T>(xs: readonly T[] | undefined, pred: (x: T) => boolean, what = "items"): void {
  expect(xs?.length ?? 0, `${what}: nothing to check`).toBeGreaterThan(0);
  expect((xs ?? []).filter((x) => !pred(x)), `${what} that break the rule`).toEqual([]);
}
