// The named mutants of mutate/named.ts: each is a bug someone could plausibly write, stated as an
// exact edit of one file, with the test files expected to catch it.
export interface NamedMutant {
  id: string;
  description: string;
  file: string;
  from: string;
  to: string;
  /** How many times `from` occurs (all are replaced); default 1. */
  occurrences?: number;
  /** Test files (vitest filters) to run against the mutant. */
  tests: string[];
  testName?: string;
}

const UPSERTS = {
  kospo: "f/lib/sources/kospo/ingest_hourly.ts",
  koen: "f/lib/sources/koen/ingest_hourly.ts",
  asos: "f/lib/sources/asos/ingest_hourly.ts",
};

export const NAMED_MUTANTS: NamedMutant[] = [
  {
    id: "hour-label-at-n",
    description: "hour label N stored at N:00 instead of (N−1):00",
    file: "f/lib/time/kst.ts",
    from: "kstMidnight(iso).getTime() + (label - 1) * 3_600_000",
    to: "kstMidnight(iso).getTime() + label * 3_600_000",
    tests: ["tests/unit/time_kst.test.ts", "tests/unit/kospo_to_hourly.test.ts"],
  },
  {
    id: "kospo-null-as-zero",
    description: "KOSPO: a missing value written as 0 by the upsert",
    file: UPSERTS.kospo,
    from: "select datetime, gencd, hogi, plant_name, generation, daily_total",
    to: "select datetime, gencd, hogi, plant_name, coalesce(generation, 0), daily_total",
    tests: ["tests/integration/kospo_backfill.test.ts", "tests/reliability/source_faults.test.ts"],
  },
  {
    id: "koen-null-as-zero",
    description: "KOEN: a missing value written as 0 by the upsert",
    file: UPSERTS.koen,
    from: "select datetime, plant_name, hogi, hour, generation, daily_total",
    to: "select datetime, plant_name, hogi, hour, coalesce(generation, 0), daily_total",
    tests: ["tests/integration/koen_backfill.test.ts"],
  },
  {
    id: "asos-null-as-zero",
    description: "ASOS: a missing value written as 0 by the upsert",
    file: UPSERTS.asos,
    from: "select datetime, stn_id, station_name, ${cols.join(\", \")}",
    to: "select datetime, stn_id, station_name, ${cols.map((c) => `coalesce(${c}, 0)`).join(\", \")}",
    tests: ["tests/integration/asos_ingest.test.ts", "tests/integration/asos_backfill.test.ts"],
  },
  {
    id: "kospo-no-distinct-guard",
    description: "KOSPO: the `IS DISTINCT FROM` guard removed (unchanged rows rewritten)",
    file: UPSERTS.kospo,
    from: "          is distinct from (g.plant_name, g.generation, g.daily_total, g.daily_avg, g.daily_max, g.daily_min)",
    to: "          is not distinct from (null, null, null, null, null, null) or true",
    tests: ["tests/integration/kospo_backfill.test.ts"],
  },
  {
    id: "koen-no-distinct-guard",
    description: "KOEN: the `IS DISTINCT FROM` guard removed (unchanged rows rewritten)",
    file: UPSERTS.koen,
    from: "          is distinct from (g.hour, g.generation, g.daily_total, g.daily_avg, g.daily_max, g.daily_min)",
    to: "          is not distinct from (null, null, null, null, null, null) or true",
    tests: ["tests/integration/koen_backfill.test.ts"],
  },
  {
    id: "asos-no-distinct-guard",
    description: "ASOS: the `IS DISTINCT FROM` guard removed (unchanged rows rewritten)",
    file: UPSERTS.asos,
    from: "      is distinct from (g.station_name, ${cols.map((c) => `g.${c}`).join(\", \")})",
    to: "      is distinct from (g.station_name, ${cols.map((c) => `g.${c}`).join(\", \")}) or true",
    tests: ["tests/integration/asos_ingest.test.ts", "tests/integration/asos_backfill.test.ts"],
  },
  {
    id: "policy-failed-selects-missing",
    description: "policy `failed` also selecting `missing` partitions",
    file: "f/lib/planner/policy.ts",
    from: "  return [...new Set(parts)] as PartitionStatus[];",
    to: '  return [...new Set([...parts, ...(parts.includes("failed") ? (["missing"] as const) : [])])] as PartitionStatus[];',
    tests: ["tests/integration/planner.test.ts", "tests/integration/kospo_backfill.test.ts"],
  },
  {
    id: "impute-plan-overwrites-measured",
    description: "impute, first layer (the plan): a measured hour planned as a gap and filled",
    file: "f/lib/quality/impute_plan.ts",
    from: '(v === null ? { value: null, method: "none" } : { value: v, method: "measured" })',
    to: '({ value: null, method: "none" })',
    tests: ["tests/unit/quality_impute_plan.test.ts"],
  },
  {
    id: "impute-sql-overwrites-measured",
    description: "impute, second layer (the UPDATE): the planned fill written over a value measured meanwhile",
    file: "f/lib/quality/impute.ts",
    from: "       ${f} = case when g.${v} is not null then g.${v} else v.filled end,",
    to: "       ${f} = v.filled,",
    tests: ["tests/integration/impute_guard.test.ts"],
  },
  {
    id: "redaction-pattern-removed",
    description: "redaction, first layer: `serviceKey=…` no longer masked in reported text",
    file: "f/lib/sources/datagokr/service_key.ts",
    from: "  return text.replace(/(serviceKey=)[^&\\s\"'<>)]*/gi, \"$1***\");",
    to: "  return text;",
    tests: ["tests/unit/kospo_client.test.ts", "tests/reliability/source_faults.test.ts"],
  },
  {
    id: "redaction-key-forms-removed",
    description: "redaction, second layer: the client no longer masks the key's own forms",
    file: "f/lib/sources/datagokr/transport.ts",
    from: '  const scrub = (text: string): string => keyForms.reduce((t, k) => t.replaceAll(k, "***"), redactServiceKey(text));',
    to: "  const scrub = (text: string): string => redactServiceKey(text);",
    tests: ["tests/unit/kospo_client.test.ts", "tests/reliability/source_faults.test.ts"],
  },
  {
    id: "redaction-errors-not-scrubbed",
    description: "redaction of errors: a gateway verdict quoting the key passed on unscrubbed",
    file: "f/lib/sources/datagokr/runs.ts",
    from: "      const e = scrubError(caught, policy.scrub);",
    to: "      const e = caught;",
    tests: ["tests/reliability/source_faults.test.ts"],
  },
  {
    id: "empty-range-last-day-not-asked",
    description: "KOSPO: a range answering no data recorded empty without asking its last day with strEdate = day+1",
    file: "f/lib/sources/kospo/client.ts",
    from: "      const item = await fetchDayAsking(run, gencd, hogi, last, addDays(last, 1));",
    to: "      const item = undefined as KospoRawItem | undefined;",
    tests: ["tests/unit/kospo_client.test.ts"],
  },
  {
    id: "request-budget-off-by-one",
    description: "request budget: one request more than max_requests taken",
    file: "f/lib/store/request_budgets.ts",
    from: "stopped is null and (max_requests is null or used < max_requests)",
    to: "stopped is null and (max_requests is null or used <= max_requests)",
    tests: ["tests/integration/request_budget.test.ts"],
  },
  {
    id: "continuation-same-day",
    description: "a stopped backfill continued again the day its quota or share was spent",
    file: "f/lib/store/request_budgets.ts",
    from: "at time zone 'Asia/Seoul')::date < (ops.clock_now() at time zone 'Asia/Seoul')::date",
    to: "at time zone 'Asia/Seoul')::date <= (ops.clock_now() at time zone 'Asia/Seoul')::date",
    tests: ["tests/integration/request_budget.test.ts"],
  },
];
