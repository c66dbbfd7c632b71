import { defineConfig } from "vitest/config";

// The suite runs on a pinned pipeline clock (f/lib/time/clock.ts): no result depends on the day it
// runs. `PVPIPE_NOW=2028-02-29T12:00:00+09:00 npm test` runs the whole suite at another instant;
// tests/integration/clock_matrix.test.ts runs the date-sensitive paths at several instants and at
// the real date in every run.
export const SUITE_NOW = process.env.PVPIPE_NOW || "2026-12-06T10:00:00+09:00";
// Anchored once (`instant@real instant`): every worker and child process shares one timeline.
const SUITE_CLOCK = SUITE_NOW.includes("@") ? SUITE_NOW : `${SUITE_NOW}@${new Date().toISOString()}`;

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/helpers/global_setup.ts"],
    env: { PVPIPE_NOW: SUITE_CLOCK },
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: "forks",
    // Test files share their worker's modules (the product's graph is imported once per worker, not
    // once per file: a fifth of the suite's CPU). A file that changes global state — the pipeline
    // clock, process.env — restores it in afterAll (docs/DEVELOPING.md).
    isolate: false,
    maxWorkers: 2,
  },
});
