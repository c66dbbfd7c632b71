import { defineConfig } from "vitest/config";

// The tests Stryker runs against each mutant (`npm run mutate`): the fast, database-free unit tests.
// The database-level mutations (upserts, guards) are the named mutants of mutate/named.ts.
export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts"],
    exclude: ["tests/unit/no_injection.test.ts", "tests/unit/test_hygiene.test.ts"],
    env: { PVPIPE_NOW: "2026-12-06T10:00:00+09:00" },
    testTimeout: 60_000,
    pool: "forks",
  },
});
