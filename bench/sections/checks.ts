// §6 Check cost: what the `check` step costs per chunk (runAssetChecks on 31 days of one KOSPO
// unit, every declared check, results recorded) on a serving table of 0.1 M rows and on one of 3 M
// rows — the same chunks, measured alternately on the two databases so other load on a shared
// machine hits both alike. Constant cost per row means the ratio stays near 1. Then a backfill
// (31 units × one year, the real flow) with its database time by kind of statement: checks must no
// longer be the largest item.
import { performance } from "node:perf_hooks";
import { BACKFILL_PARALLELISM } from "../../flows/inputs.ts";
import { kospoHourly } from "../../f/lib/assets/catalog.ts";
import type { Pool } from "../../f/lib/db/resource.ts";
import { runAssetChecks } from "../../f/lib/quality/run_checks.ts";
import { addDays, daysBetween } from "../../f/lib/time/kst.ts";
import { backfill } from "../../flows/backfill.ts";
import { runFlow } from "../../src/flow/engine.ts";
import { startKospoSim } from "../../src/simulators/kospo.ts";
import { median, pct, type BenchContext } from "../lib/context.ts";
import { allKospoUnits, includeAllUnitsInPlanning, simUnits } from "../lib/kospo_units.ts";
import { fmt, judge, round, type Figure, type Metric, type SectionResult } from "../lib/report.ts";
import { oneLine, openPool, resetStatements, waitForBackendsGone, type BenchDb } from "../lib/server.ts";
import { kospoResource, ROOT } from "./backfill.ts";

const FIRST_DAY = "2012-01-01";
const CHUNK_DAYS = 31;
/** The chunks measured: these units × these windows, inside the first 135 days (present at both sizes, with 30 days before them). */
const MEASURED_UNITS = ["9985-1", "9987-1", "997S-1", "9979-1"];
const WINDOWS = [31, 62, 93];
const ROUNDS = 3;

interface Sized {
  label: string;
  rows: number;
  db: BenchDb;
  sql: Pool;
}

/**
 * Synthetic hourly rows for every KOSPO unit over `days` days: a daytime bell whose size varies by
 * unit and day (so no check fires), daily total = Σ hours; the unit-days recorded as materialized
 * and each judged by 8 checks before (evaluations), as after a backfill of that length. Not
 * measured: with two connections the serving table and the partitions with their evaluations are
 * written at once (each table by one statement, as before).
 */
async function fill(sql: Pool, days: number): Promise<number> {
  const generation = sql`
    insert into public.nambu_generation (datetime, gencd, hogi, generation, daily_total, generation_filled, fill_method, run_id)
    select d::timestamp at time zone 'Asia/Seoul' + make_interval(hours => h), p.gencd, p.hogi,
           a.amp * greatest(0, sin(pi() * (h - 6) / 12)), a.amp * s.total,
           a.amp * greatest(0, sin(pi() * (h - 6) / 12)), 'measured', 'bench-synth'
    from (select gencd, hogi, row_number() over (order by gencd, hogi) as k from public.nambu_plants) p
    cross join generate_series(${FIRST_DAY}::date, ${FIRST_DAY}::date + ${days - 1}::int, interval '1 day') d
    cross join lateral (select 40 + 3 * p.k + (extract(doy from d)::int % 17) as amp) a
    cross join (select sum(greatest(0, sin(pi() * (h - 6) / 12))) as total from generate_series(0, 23) h) s
    cross join generate_series(0, 23) h`;
  const judged = async () => {
    await sql`
    insert into ops.asset_partitions (asset, partition, pdate, pdim, status, run_id, row_count, code_version, materialized_at, attempted_at)
    select ${kospoHourly.key}, to_char(d, 'YYYY-MM-DD') || '|' || p.gencd || '-' || p.hogi, d, p.gencd || '-' || p.hogi,
           'success', 'bench-synth', 24, ${kospoHourly.codeVersion}, now(), now()
    from public.nambu_plants p cross join generate_series(${FIRST_DAY}::date, ${FIRST_DAY}::date + ${days - 1}::int, interval '1 day') d`;
    await sql`
    insert into ops.check_evaluations (asset, partition, check_name, severity, subjects, passed, day_from, day_to, run_id)
    select ap.asset, ap.partition, c.name, 'warn', 1, 1, ap.pdate, ap.pdate, 'bench-synth'
    from ops.asset_partitions ap
    cross join unnest(${(kospoHourly.checks ?? []).filter((c) => c.kind === "subject").map((c) => c.name)}::text[]) as c(name)
    where ap.asset = ${kospoHourly.key}`;
  };
  const [{ count }] = await Promise.all([generation, judged()]);
  await Promise.all(["public.nambu_generation", "ops.asset_partitions", "ops.check_evaluations"].map((t) => sql.unsafe(`analyze ${t}`)));
  return count;
}

/** The earlier check step's read (f/lib/quality/checks/common.ts before issue #17): bounds computed from s.day. */
async function previousRead(sql: Pool, unit: string, start: string): Promise<number> {
  const [gencd, hogi] = [unit.slice(0, unit.lastIndexOf("-")), Number(unit.slice(unit.lastIndexOf("-") + 1))];
  const subjects = JSON.stringify(Array.from({ length: CHUNK_DAYS }, (_, i) => ({ sid: i, day: addDays(start, i), gencd, hogi })));
  const t0 = performance.now();
  await sql.begin(async (tx) => {
    await tx.unsafe(
      `create temporary table bench_quality_hours on commit drop as
       select s.sid, g.datetime, g.generation from jsonb_to_recordset($1::text::jsonb) as s(sid int, day date, gencd text, hogi int)
       join public.nambu_generation g on g.gencd = s.gencd and g.hogi = s.hogi
        and g.datetime >= greatest($2::timestamptz, s.day::timestamp at time zone 'Asia/Seoul')
        and g.datetime < least($3::timestamptz, (s.day + 1)::timestamp at time zone 'Asia/Seoul')`,
      [subjects, `${start} 00:00+09`, `${addDays(start, CHUNK_DAYS)} 00:00+09`],
    );
  });
  return performance.now() - t0;
}

/** Database time of a run by kind of statement (pg_stat_statements of that database). */
export async function profileByKind(admin: Pool, dbname: string): Promise<{ totalMs: number; kinds: { kind: string; ms: number; calls: number; top: string; statements: { ms: number; calls: number; query: string }[] }[] }> {
  const rows = await admin<{ ms: number; calls: number; query: string }[]>`
    select s.total_exec_time::float8 as ms, s.calls::int as calls, s.query
    from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = ${dbname}`;
  const kinds = new Map<string, { ms: number; calls: number; top: { ms: number; q: string }; statements: { ms: number; calls: number; query: string }[] }>();
  for (const r of rows) {
    const k = kindOf(r.query);
    const e = kinds.get(k) ?? { ms: 0, calls: 0, top: { ms: -1, q: "" }, statements: [] };
    e.ms += r.ms;
    e.calls += r.calls;
    if (r.ms > e.top.ms) e.top = { ms: r.ms, q: r.query };
    e.statements.push({ ms: Math.round(r.ms), calls: r.calls, query: oneLine(r.query, 160) });
    kinds.set(k, e);
  }
  const totalMs = rows.reduce((a, r) => a + r.ms, 0);
  return {
    totalMs,
    kinds: [...kinds.entries()]
      .map(([kind, e]) => ({ kind, ms: e.ms, calls: e.calls, top: oneLine(e.top.q, 90), statements: e.statements.sort((a, b) => b.ms - a.ms).slice(0, 5) }))
      .sort((a, b) => b.ms - a.ms),
  };
}

/** Which step a statement belongs to, from what it touches. */
export function kindOf(q: string): string {
  const s = q.toLowerCase().replace(/\s+/g, " ");
  if (/^\s*with m as materialized \( select distinct on \(asset, partition\)/.test(s)) return "plan, runs, report"; // the run report
  if (/ops\.check_evaluations|ops\.check_results|as s\(sid int/.test(s)) return "checks";
  if (/from ops\.asset_partitions\s+where asset = \$\d+ and pdate between/.test(s)) return "checks"; // the check step's subjects
  if (/^\s*copy\s|stage\.partition_outcomes|insert into stage\./.test(s)) return "staging (merge)";
  if (/insert into "?public"?\."?nambu_generation"?|from stage\.kospo_hourly|delete from stage\./.test(s)) return "ingest"; // the upsert quotes its names
  if (/ops\.materializations|insert into ops\.asset_partitions/.test(s)) return "ingest";
  if (/generation_filled|fill_method/.test(s)) return "impute";
  if (/raw\.kospo_items|from ops\.asset_partitions\s+where asset = \$\d+ and partition = any\(\$\d+::text\[\]\) and status <> \$\d+/.test(s)) return "sync (raw payloads)";
  if (/pg_advisory_xact_lock/.test(s)) return "locks";
  if (/ops\.runs|ops\.asset_partitions|ops\.asset_catalog/.test(s)) return "plan, runs, report";
  if (/nambu_plants|plant_station|asos_stations|namdong_plants|create or replace view|schema_migrations/.test(s)) return "setup (seeding, views)";
  return "other";
}

export async function checksSection(ctx: BenchContext): Promise<SectionResult> {
  const t0 = performance.now();
  const smallDays = 135; // 31 units × 135 days × 24 h ≈ 0.1 M rows
  const largeDays = ctx.quick ? 1345 : 4032; // ≈ 1 M (quick) or 3 M rows
  const sized: Sized[] = [];
  const figures: Figure[] = [];
  try {
    const sizes = [["0.1 M", smallDays], [ctx.quick ? "1 M" : "3 M", largeDays]] as const;
    for (const [label] of sizes) {
      const db = await ctx.server.createDb("checks");
      sized.push({ label, rows: 0, db, sql: db.pool(1, "bench-checks") });
    }
    ctx.progress(`§6 checks: filling serving tables of ${sizes.map(([l, d]) => `${l} rows (${d} days × 31 units)`).join(" and ")} at once…`);
    await Promise.all(
      sized.map(async (s, i) => {
        const load = s.db.pool(2, "bench-checks-load");
        try {
          s.rows = await fill(load, sizes[i][1]);
        } finally {
          await load.end({ timeout: 5 });
        }
      }),
    );
    const [small, large] = sized;
    const chunks = MEASURED_UNITS.flatMap((unit) => WINDOWS.map((w) => ({ unit, start: addDays(FIRST_DAY, w), end: addDays(FIRST_DAY, w + CHUNK_DAYS - 1) })));
    const times = new Map<string, number[]>(sized.map((s) => [s.label, []]));
    let results = 0;
    let failed = 0;
    // Warm both (catalog caches, prepared statements), then alternate: small, large, large, small, …
    for (const s of sized) await runAssetChecks(s.sql, { asset: kospoHourly.key, start: chunks[0].start, end: chunks[0].end, pdims: [chunks[0].unit], runId: "bench-warm" });
    for (let r = 0; r < ROUNDS; r++) {
      for (const [i, c] of chunks.entries()) {
        const order = (r + i) % 2 === 0 ? sized : [...sized].reverse();
        for (const s of order) {
          const t = performance.now();
          const res = await runAssetChecks(s.sql, { asset: kospoHourly.key, start: c.start, end: c.end, pdims: [c.unit], runId: `bench-${r}` });
          times.get(s.label)!.push(performance.now() - t);
          results += res.results;
          failed += res.failed;
        }
      }
    }
    const ms = (s: Sized) => median(times.get(s.label)!);
    const ratio = ms(large) / ms(small);
    ctx.progress(`  per chunk: ${fmt(ms(small), 1)} ms at ${small.rows} rows, ${fmt(ms(large), 1)} ms at ${large.rows} rows (${fmt(ratio, 2)}×)`);
    // The earlier read, for comparison (a few chunks: at 3 M rows each one scans the whole table).
    const before = new Map<string, number[]>(sized.map((s) => [s.label, []]));
    for (const c of chunks.slice(0, 3)) for (const s of sized) before.get(s.label)!.push(await previousRead(s.sql, c.unit, c.start));
    const beforeMs = (s: Sized) => median(before.get(s.label)!);

    const metrics: Metric[] = [
      {
        id: "checks.cost_ratio",
        what: `check step per chunk (31 days × 1 unit, 8 checks, results recorded), ${large.label} vs ${small.label} rows`,
        figure: { value: round(ms(large), 1), unit: "ms" },
        comparison: { what: `${small.label} rows`, value: round(ms(small), 1), unit: "ms" },
        ratio: round(ratio, 2),
        target: "≤ 1.2",
        status: judge(ratio, "≤", 1.2),
      },
    ];
    figures.push(
      { id: "checks.rows", what: "serving-table rows", figure: { value: large.rows, unit: "rows" }, comparison: { what: "small table", value: small.rows, unit: "rows" }, ratio: round(large.rows / small.rows, 1) },
      {
        id: "checks.per_row",
        what: `check step per row of the chunk (${large.label} rows)`,
        figure: { value: round((ms(large) * 1000) / (CHUNK_DAYS * 24), 1), unit: "µs/row" },
        comparison: { what: `${small.label} rows`, value: round((ms(small) * 1000) / (CHUNK_DAYS * 24), 1), unit: "µs/row" },
        ratio: round(ratio, 2),
      },
      {
        id: "checks.previous_read",
        what: `earlier check step's read alone (jsonb join, bounds from s.day), ${large.label} rows`,
        figure: { value: round(beforeMs(large), 1), unit: "ms" },
        comparison: { what: `${small.label} rows`, value: round(beforeMs(small), 1), unit: "ms" },
        ratio: round(beforeMs(large) / beforeMs(small), 1),
        note: "the sequential scan per chunk that made a backfill's checks quadratic in its length",
      },
    );
    for (const s of sized) {
      await s.sql.end({ timeout: 5 });
      await s.db.drop();
    }
    sized.length = 0;

    // A backfill's database time by kind of statement.
    const start = "2023-01-01";
    const end = ctx.quick ? "2023-03-31" : "2023-12-31";
    const units = allKospoUnits();
    includeAllUnitsInPlanning();
    const sim = await startKospoSim({ seed: 9, units: simUnits("2015-01-01") });
    const db = await ctx.server.createDb("checks_backfill");
    const admin = openPool(ctx.server.admin, 1, "bench-admin");
    let profile: Awaited<ReturnType<typeof profileByKind>>;
    let backfillSeconds = 0;
    try {
      ctx.progress(`§6 checks: backfill ${units.length} units × ${daysBetween(start, end) + 1} days for the database-time profile…`);
      await resetStatements(ctx.server.admin);
      const tb = performance.now();
      const run = await runFlow(backfill, { source: "kospo", start, end, parallelism: BACKFILL_PARALLELISM }, { root: ROOT, resources: { db: db.resource, kospo_api: kospoResource(sim) } });
      backfillSeconds = (performance.now() - tb) / 1000;
      if (run.status !== "success") throw new Error(`backfill flow ${run.status}: ${run.error?.message}`);
      await waitForBackendsGone(db.resource, "pvpipe");
      profile = await profileByKind(admin, db.name);
    } finally {
      await admin.end({ timeout: 5 });
      await sim.close();
      await db.drop();
    }
    const checks = profile.kinds.find((k) => k.kind === "checks") ?? { kind: "checks", ms: 0, calls: 0, top: "" };
    const largestOther = profile.kinds.filter((k) => k.kind !== "checks")[0];
    metrics.push({
      id: "checks.backfill_share",
      what: `checks' share of a backfill's database time (${units.length} units, ${start}..${end})`,
      figure: { value: round((100 * checks.ms) / profile.totalMs, 1), unit: "%" },
      comparison: { what: `largest other item: ${largestOther.kind}`, value: round((100 * largestOther.ms) / profile.totalMs, 1), unit: "%" },
      ratio: round(checks.ms / largestOther.ms, 2),
      target: "checks not the largest item",
      status: checks.ms < largestOther.ms ? "PASS" : "MISS",
    });
    const profileLines = [
      `backfill ${fmt(backfillSeconds, 1)} s wall; server execution ${fmt(profile.totalMs / 1000, 1)} s; by kind of statement (pg_stat_statements):`,
      ...profile.kinds.map((k) => `  ${pct(k.ms / profile.totalMs).padStart(4)}  ${fmt(k.ms / 1000, 2).padStart(6)} s  ${String(k.calls).padStart(6)}×  ${k.kind.padEnd(22)} largest: ${k.top}`),
    ];
    return {
      id: "checks",
      title: "§6 Check cost",
      measured: `the check step (runAssetChecks: subjects, one set-based statement per chunk, results recorded) on ${chunks.length} chunks of ${CHUNK_DAYS} days × 1 KOSPO unit, ${ROUNDS} rounds, alternating between a serving table of ${small.rows.toLocaleString("en-US")} and one of ${large.rows.toLocaleString("en-US")} rows (each with its partitions and earlier evaluations); then a backfill's database time by kind of statement.`,
      seconds: (performance.now() - t0) / 1000,
      metrics,
      figures,
      profile: profileLines,
      notes: [
        `median per chunk over ${ROUNDS * chunks.length} runs at each size; ${results} subject results judged, ${failed} failing (the synthetic days are plausible).`,
        ...profileLines,
      ],
      details: { per_chunk_ms: Object.fromEntries([...times.entries()]), previous_read_ms: Object.fromEntries([...before.entries()]), backfill_profile: profile },
    };
  } finally {
    for (const s of sized) {
      await s.sql.end({ timeout: 5 }).catch(() => undefined);
      await s.db.drop().catch(() => undefined);
    }
  }
}
