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

/** The one upsert every source's ingest runs, generated from its table description. */
const UPSERT = "f/lib/load/upsert_sql.ts";
const UPSERT_VALUES = "  const values = [...served.map(ident), ...inserted.map(([, v]) => v), \"$1\", \"now()\"].join(\", \");";

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
    id: "pv-null-as-zero",
    description: "PV (KOSPO, KOEN): a missing measured value written as 0 by the upsert",
    file: UPSERT,
    from: UPSERT_VALUES,
    to: "  const values = [...served.map((c) => (t.fill.kind === \"value\" && c === t.fill.value ? `coalesce(${ident(c)}, 0)` : ident(c))), ...inserted.map(([, v]) => v), \"$1\", \"now()\"].join(\", \");",
    tests: ["tests/integration/kospo_backfill.test.ts", "tests/integration/koen_backfill.test.ts", "tests/reliability/source_faults.test.ts"],
  },
  {
    id: "weather-null-as-zero",
    description: "ASOS: a missing observed value written as 0 by the upsert",
    file: UPSERT,
    from: UPSERT_VALUES,
    to: "  const values = [...served.map((c) => (t.fill.kind === \"fields\" && t.fill.fields.includes(c) ? `coalesce(${ident(c)}, 0)` : ident(c))), ...inserted.map(([, v]) => v), \"$1\", \"now()\"].join(\", \");",
    tests: ["tests/integration/asos_ingest.test.ts", "tests/integration/asos_backfill.test.ts"],
  },
  {
    id: "no-distinct-guard",
    description: "every source: the `IS DISTINCT FROM` guard removed (unchanged rows rewritten)",
    file: UPSERT,
    from: "      is distinct from (${before})",
    to: "      is distinct from (${before}) or true",
    tests: ["tests/integration/kospo_backfill.test.ts", "tests/integration/koen_backfill.test.ts", "tests/integration/asos_ingest.test.ts"],
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
    id: "impute-reference-filled",
    description: "impute, reference fills: a sibling's filled value (not only its measured one) taken as the sky of a gap",
    file: "f/lib/quality/impute.ts",
    from: "shape: referenceShape(measuredOf(list), clearSkyHours(day, v.lat!, v.lon!), clearSky)",
    to: "shape: referenceShape(Array.from({ length: 24 }, (_, h) => list.find((r) => r.h === h)?.f ?? null), clearSkyHours(day, v.lat!, v.lon!), clearSky)",
    tests: ["tests/integration/impute_references.test.ts"],
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
  {
    id: "plain-insert-when-served",
    description: "ingest: the plain insert (no ON CONFLICT) taken even when some of the chunk's keys are served",
    file: UPSERT,
    from: "    where not exists (select from old)\n",
    to: "    where true\n",
    tests: ["tests/integration/ingest_versions.test.ts"],
  },
  {
    id: "served-range-misses-last-hour",
    description: "ingest: the rows served before read up to the chunk's last instant, excluded (its kept values lost from the data version)",
    file: UPSERT,
    from: "o.${time} between r.lo and r.hi",
    to: "o.${time} >= r.lo and o.${time} < r.hi",
    tests: ["tests/integration/ingest_versions.test.ts"],
  },
  {
    id: "array-text-null",
    description: "ingest arrays: a text value 'NULL' sent unquoted (PostgreSQL reads it as NULL)",
    file: "f/lib/load/column_arrays.ts",
    from: "if (BARE.test(v) && v.toLowerCase() !== \"null\") return v;",
    to: "if (BARE.test(v)) return v;",
    tests: ["tests/integration/column_arrays.test.ts"],
  },
];
