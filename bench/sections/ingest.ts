// §1 Ingest throughput: the project's path (the ingest step's one transaction per chunk: the rows
// as arrays into the generated upsert, which returns the data versions, then the materializations)
// against (a) one COPY stream of the same rows into a table with the serving table's indexes and
// constraints — the physical limit of writing these rows where they are served (the same stream
// into a table without indexes, the heap alone, is shown too) — and (b) the earlier pipeline's
// multi-value INSERT … ON CONFLICT of 1,000 rows per statement.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import pLimit from "p-limit";
import { kospoHourly } from "../../f/lib/assets/catalog.ts";
import { BACKFILL_PARALLELISM } from "../../flows/inputs.ts";
import { copyRows, type CopyValue } from "../../f/lib/db/copy.ts";
import type { Pool } from "../../f/lib/db/resource.ts";
import { ingestRows } from "../../f/lib/load/ingest.ts";
import { lockPartitions } from "../../f/lib/store/partition_locks.ts";
import { kospoUnitKey } from "../../f/lib/sources/kospo/units.ts";
import { finishRun, startRun } from "../../f/lib/store/runs.ts";
import { addDays, kstMidnight } from "../../f/lib/time/kst.ts";
import { cpuMeter, pct, type BenchContext, type CpuSeconds } from "../lib/context.ts";
import { fmt, judge, round, type Figure, type Metric, type SectionResult } from "../lib/report.ts";
import { backendsGone, openPool, resetStatements, topStatements, waitForBackendsGone, type BenchDb, type StatementProfile } from "../lib/server.ts";

const START_DAY = "2020-01-01";
/** The planner's chunk: at most 31 days of one unit (the KOSPO source's maxChunk). */
const CHUNK_DAYS = kospoHourly.source.planning.maxChunk;
/** The backfill flow's default for-each parallelism (flows/inputs.ts). */
const ENGINE_PARALLELISM = BACKFILL_PARALLELISM;
const INSERT_BATCH = 1000;

const SERVING_COLUMNS = ["datetime", "gencd", "hogi", "plant_name", "generation", "daily_total", "daily_avg", "daily_max", "daily_min", "generation_filled", "fill_method", "run_id", "updated_at"];

type Variant = "base" | "changed10";

interface Scale {
  units: number;
  hours: number;
}

interface Chunk {
  unit: number;
  fromDay: number; // day index, inclusive
  toDay: number; // inclusive
  partitions: string[];
}

const T0 = kstMidnight(START_DAY).getTime();
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const unitCode = (u: number) => `BN${String(u + 1).padStart(3, "0")}`;
const unitName = (u: number) => `한국남부발전(주)_벤치 ${u + 1}호 태양광발전실적`;

/** Deterministic pseudo-random in [0, 1). */
function noise(a: number, b: number): number {
  const x = Math.sin(a * 12.9898 + b * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

interface Day {
  values: (number | null)[];
  total: number;
  avg: number;
  max: number;
  min: number;
}

/** One unit-day of hourly kWh: a daylight bell scaled by the day's cloudiness; ~0.5 % of hours unmeasured. */
function dayOf(u: number, d: number): Day {
  const cap = 500 + (u % 7) * 150;
  const cloud = 0.35 + 0.65 * noise(u + 1, d + 1);
  const values = Array.from({ length: 24 }, (_, h) => {
    if (noise(u * 31 + h, d) < 0.005) return null;
    return h >= 6 && h <= 19 ? round3(cap * cloud * Math.sin((Math.PI * (h - 5.5)) / 14)) : 0;
  });
  const measured = values.filter((v): v is number => v !== null);
  const total = round3(measured.reduce((a, b) => a + b, 0));
  return { values, total, avg: round3(total / 24), max: Math.max(...measured), min: Math.min(...measured) };
}

/** 10 % of hours (every tenth hour of each unit) get a different value in the "changed" pass. */
const isChanged = (u: number, h: number) => (u * 7919 + h * 104729) % 10 === 0;
const changedValue = (v: number | null) => (v === null ? 1 : round3(v + 0.5));

function chunksOf(scale: Scale): Chunk[] {
  const days = Math.ceil(scale.hours / 24);
  const out: Chunk[] = [];
  // The planner orders chunks by first day, then unit; the for-each runs them in that order.
  for (let fromDay = 0; fromDay < days; fromDay += CHUNK_DAYS) {
    for (let unit = 0; unit < scale.units; unit++) {
      const toDay = Math.min(fromDay + CHUNK_DAYS - 1, days - 1);
      const partitions: string[] = [];
      for (let d = fromDay; d <= toDay; d++) partitions.push(`${addDays(START_DAY, d)}|${kospoUnitKey(unitCode(unit), 1)}`);
      out.push({ unit, fromDay, toDay, partitions });
    }
  }
  return out;
}

/** Every hour of a chunk: (day index, hour of day, hour index, value, the day's stats). */
function* hoursOf(scale: Scale, c: Chunk, variant: Variant): Generator<{ d: number; h: number; hi: number; v: number | null; day: Day }> {
  for (let d = c.fromDay; d <= c.toDay; d++) {
    const day = dayOf(c.unit, d);
    for (let h = 0; h < 24; h++) {
      const hi = d * 24 + h;
      if (hi >= scale.hours) return;
      const v0 = day.values[h];
      yield { d, h, hi, v: variant === "changed10" && isChanged(c.unit, hi) ? changedValue(v0) : v0, day };
    }
  }
}

/** Rows as the KOSPO source reads them from a payload, with their partition (label N → (N-1):00 KST). */
function* chunkRows(scale: Scale, c: Chunk, variant: Variant): Generator<CopyValue[]> {
  const gencd = unitCode(c.unit);
  const name = unitName(c.unit);
  for (const x of hoursOf(scale, c, variant)) {
    yield [c.partitions[x.d - c.fromDay], gencd, 1, new Date(T0 + x.hi * 3_600_000), x.h + 1, name, x.v, x.day.total, x.day.avg, x.day.max, x.day.min];
  }
}

/** The same rows in the serving table's shape. */
function* servingRows(scale: Scale, chunks: Chunk[], runId: string, now: Date): Generator<CopyValue[]> {
  for (const c of chunks) {
    const gencd = unitCode(c.unit);
    const name = unitName(c.unit);
    for (const x of hoursOf(scale, c, "base")) {
      yield [new Date(T0 + x.hi * 3_600_000), gencd, 1, name, x.v, x.day.total, x.day.avg, x.day.max, x.day.min, x.v, x.v === null ? "none" : "measured", runId, now];
    }
  }
}

/** The ingest step's transaction for a chunk (ingestChunk), from generated rows instead of stored payloads. */
async function ingestGenerated(sql: Pool, runId: string, scale: Scale, c: Chunk, variant: Variant) {
  return sql.begin(async (tx0) => {
    const tx = tx0 as unknown as Pool;
    await lockPartitions(tx, kospoHourly.key, c.partitions);
    const outcomes = c.partitions.map((partition) => ({ partition, status: "success" as const, error: null }));
    return ingestRows(tx, kospoHourly, runId, c.partitions, outcomes, chunkRows(scale, c, variant));
  }) as Promise<Awaited<ReturnType<typeof ingestRows>>>;
}

interface ProjectRun {
  label: string;
  parallelism: number;
  seconds: number;
  rows: number;
  rowsPerSec: number;
  inserted: number;
  updated: number;
  unchanged: number;
  partitions: number;
  nTupUpd: number;
  nTupIns: number;
  statements: StatementProfile;
  chunks: number;
  cpu: CpuSeconds;
}

interface TableStats {
  ins: number;
  upd: number;
}

/** pg_stat counters of a table once the writing backends have exited (they flush their stats on exit). */
async function tableStats(db: BenchDb, table: string, writerApp: string): Promise<TableStats> {
  const s = db.pool(1, "bench-stats");
  try {
    await backendsGone(s, writerApp, 100);
    await s`select pg_stat_clear_snapshot()`;
    const [r] = await s<{ ins: number; upd: number }[]>`
      select coalesce(n_tup_ins, 0)::float8 as ins, coalesce(n_tup_upd, 0)::float8 as upd
      from pg_stat_user_tables where relid = ${table}::regclass`;
    return r ?? { ins: 0, upd: 0 };
  } finally {
    await s.end({ timeout: 5 });
  }
}

/**
 * A CHECKPOINT before each measured run: the WAL the previous run wrote would otherwise trigger
 * one in the middle of whichever run comes next (max_wal_size), doubling that run's WAL with
 * full-page images — the largest source of run-to-run spread in this section.
 */
async function checkpoint(ctx: BenchContext): Promise<void> {
  const a = openPool(ctx.server.admin, 1, "bench-admin");
  try {
    await a`checkpoint`;
  } finally {
    await a.end({ timeout: 5 });
  }
}

async function runProject(ctx: BenchContext, db: BenchDb, scale: Scale, chunks: Chunk[], variant: Variant, parallelism: number, label: string): Promise<ProjectRun> {
  const app = "bench-ingest";
  const before = await tableStats(db, "public.nambu_generation", app);
  await resetStatements(ctx.server.admin);
  await checkpoint(ctx);
  const sql = db.pool(parallelism, app);
  const runId = randomUUID();
  await startRun(sql, { runId, flow: "bench_ingest", engine: "local", inputs: { label, variant } });
  let rows = 0;
  const tot = { inserted: 0, updated: 0, unchanged: 0, partitions: 0 };
  const limit = pLimit(parallelism);
  const cpu = cpuMeter(ctx.server);
  const t0 = performance.now();
  await Promise.all(
    chunks.map((c) =>
      limit(async () => {
        const r = await ingestGenerated(sql, runId, scale, c, variant);
        rows += r.rows; // (not `rows += await …`: that reads rows before the await and loses concurrent updates)
        tot.inserted += r.inserted;
        tot.updated += r.updated;
        tot.unchanged += r.unchanged;
        tot.partitions += r.partitions;
      }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  await finishRun(sql, runId, "success", tot);
  await sql.end({ timeout: 5 });
  const after = await tableStats(db, "public.nambu_generation", app);
  const used = cpu();
  const top = await topStatements(ctx.server.admin, db.name, 6);
  ctx.progress(`  ingest ${label}: ${fmt(rows / seconds)} rows/s (${fmt(seconds, 1)} s, CPU ${used.total} s; inserted ${tot.inserted}, updated ${tot.updated}, n_tup_upd +${after.upd - before.upd})`);
  return {
    label,
    parallelism,
    seconds,
    rows,
    rowsPerSec: rows / seconds,
    ...tot,
    nTupUpd: after.upd - before.upd,
    nTupIns: after.ins - before.ins,
    statements: top,
    chunks: chunks.length,
    cpu: used,
  };
}

interface SimpleRun {
  seconds: number;
  rows: number;
  rowsPerSec: number;
  cpu: CpuSeconds;
}

/** Time `load` on a fresh connection; CPU is read once its backend has exited. */
async function measured(ctx: BenchContext, db: BenchDb, app: string, table: string, like: string, load: (sql: Pool) => Promise<number>): Promise<SimpleRun> {
  const setup = db.pool(1, "bench-admin");
  await setup.unsafe(`create table ${table} (like public.nambu_generation ${like})`);
  await setup.end({ timeout: 5 });
  await waitForBackendsGone(db.resource, "bench-admin");
  await checkpoint(ctx);
  const sql = db.pool(1, app);
  const cpu = cpuMeter(ctx.server);
  const t0 = performance.now();
  let rows = 0;
  try {
    rows = await load(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
  const seconds = (performance.now() - t0) / 1000;
  await waitForBackendsGone(db.resource, app);
  const used = cpu();
  const drop = db.pool(1, "bench-admin");
  await drop.unsafe(`drop table ${table}`);
  await drop.end({ timeout: 5 });
  return { seconds, rows, rowsPerSec: rows / seconds, cpu: used };
}

/**
 * One COPY stream of every row: into a table `like` the serving table — "including all": its
 * primary key, its datetime index and its constraints, what any load of these rows must write; or
 * "including defaults": the heap alone, a bound no load of an indexed table reaches.
 */
/** The run with the median rate. */
function medianRun(runs: SimpleRun[]): SimpleRun {
  return [...runs].sort((a, b) => a.rowsPerSec - b.rowsPerSec)[Math.floor(runs.length / 2)];
}

async function runCopyLimit(ctx: BenchContext, db: BenchDb, scale: Scale, chunks: Chunk[], like: "including all" | "including defaults"): Promise<SimpleRun> {
  const r = await measured(ctx, db, "bench-copy", "public.bench_copy_limit", like, (sql) =>
    copyRows(sql, "public.bench_copy_limit", SERVING_COLUMNS, servingRows(scale, chunks, "copy-limit", new Date())),
  );
  ctx.progress(`  COPY ${like === "including all" ? "limit (indexed)" : "into a table without indexes"}: ${fmt(r.rowsPerSec)} rows/s (${fmt(r.seconds, 1)} s, CPU ${r.cpu.total} s)`);
  return r;
}

/** The earlier pipeline: row-by-row values, 1,000 rows per multi-value INSERT … ON CONFLICT statement. */
async function runInsertBaseline(ctx: BenchContext, db: BenchDb, scale: Scale, chunks: Chunk[]): Promise<SimpleRun> {
  const r = await measured(ctx, db, "bench-insert", "public.bench_insert_baseline", "including all", async (sql) => {
    let rows = 0;
    let batch: Record<string, CopyValue>[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const b = batch;
      batch = [];
      await sql`
        insert into public.bench_insert_baseline ${sql(b as never, ...(SERVING_COLUMNS as never[]))}
        on conflict (gencd, hogi, datetime) do update set
          plant_name = excluded.plant_name, generation = excluded.generation, daily_total = excluded.daily_total,
          daily_avg = excluded.daily_avg, daily_max = excluded.daily_max, daily_min = excluded.daily_min,
          generation_filled = excluded.generation_filled, fill_method = excluded.fill_method,
          run_id = excluded.run_id, updated_at = excluded.updated_at`;
    };
    for (const r of servingRows(scale, chunks, "insert-baseline", new Date())) {
      const o: Record<string, CopyValue> = {};
      SERVING_COLUMNS.forEach((c, i) => (o[c] = r[i]));
      batch.push(o);
      rows++;
      if (batch.length >= INSERT_BATCH) await flush();
    }
    await flush();
    return rows;
  });
  ctx.progress(`  INSERT baseline: ${fmt(r.rowsPerSec)} rows/s (${fmt(r.seconds, 1)} s, CPU ${r.cpu.total} s)`);
  return r;
}

async function truncateServing(db: BenchDb): Promise<void> {
  const sql = db.pool(1, "bench-admin");
  try {
    await sql`truncate public.nambu_generation, ops.materializations, ops.asset_partitions, stage.kospo_hourly, stage.partition_outcomes`;
    await sql`vacuum analyze public.nambu_generation`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function profileOf(r: ProjectRun): string[] {
  const perChunk = (r.seconds * 1000 * r.parallelism) / r.chunks;
  const serverPerChunk = r.statements.totalMs / r.chunks;
  return [
    `${r.label}: ${fmt(r.seconds, 1)} s wall for ${r.chunks} chunks ⇒ ${fmt(perChunk, 1)} ms per chunk (${fmt(r.rows / r.chunks, 0)} rows), one transaction each (locks, the upsert with its data versions, materializations)`,
    `  CPU: Node ${fmt(r.cpu.node, 1)} s + PostgreSQL ${fmt(r.cpu.pg, 1)} s = ${fmt(r.cpu.total / r.seconds, 2)} cores busy on average over ${fmt(r.seconds, 1)} s wall`,
    `  server execution ${fmt(serverPerChunk, 1)} ms per chunk over ${fmt(r.statements.calls / r.chunks, 0)} statements (1 transaction; its commit waits for its WAL flush); the other ${fmt(Math.max(0, perChunk - serverPerChunk), 1)} ms are round trips, commits and the client (row generation, COPY text)`,
    "  server time by statement (pg_stat_statements):",
    ...r.statements.top.map((s) => `    ${pct(s.share).padStart(4)}  ${fmt(s.ms)} ms  ${s.calls}×  ${s.query}`),
  ];
}

export async function ingestSection(ctx: BenchContext): Promise<SectionResult> {
  const t0 = performance.now();
  const scale: Scale = ctx.quick ? { units: 20, hours: 10_000 } : { units: 100, hours: 10_000 };
  const chunks = chunksOf(scale);
  const db = await ctx.server.createDb("ingest");
  try {
    const nRows = scale.units * scale.hours;
    ctx.progress(`§1 ingest: ${nRows.toLocaleString("en-US")} rows = ${scale.units} units × ${scale.hours} hours, ${chunks.length} chunks of ≤ ${CHUNK_DAYS} days × 1 unit`);
    // The comparators are single streams whose rate moved ±20 % between runs on this machine: each
    // is the median of three, one before the project's runs, one between them and one after.
    const copyRuns: SimpleRun[] = [];
    const heapRuns: SimpleRun[] = [];
    const limits = async () => {
      copyRuns.push(await runCopyLimit(ctx, db, scale, chunks, "including all"));
      heapRuns.push(await runCopyLimit(ctx, db, scale, chunks, "including defaults"));
    };
    await limits();
    // The supporting runs are rates: a quarter of the chunks (the first, in the planner's order) gives the same rows/s in a quarter of the time.
    const sample = chunks.slice(0, Math.ceil(chunks.length / 4));
    const insert = await runInsertBaseline(ctx, db, scale, sample);
    // Like for like with the single COPY stream: one chunk at a time on one connection.
    const fresh1 = await runProject(ctx, db, scale, sample, "base", 1, "fresh, parallelism 1");
    await truncateServing(db);
    // What the backfill flow does by default: its default chunks at a time (headline figures).
    const P = ENGINE_PARALLELISM;
    const fresh = await runProject(ctx, db, scale, chunks, "base", P, `fresh, parallelism ${P}`);
    const unchanged = await runProject(ctx, db, scale, chunks, "base", P, `unchanged re-ingest, parallelism ${P}`);
    await limits();
    const changed = await runProject(ctx, db, scale, chunks, "changed10", P, `10 % changed, parallelism ${P}`);
    await limits();
    const copy = medianRun(copyRuns);
    const heap = medianRun(heapRuns);

    const rps = (r: { rowsPerSec: number }) => ({ value: round(r.rowsPerSec, 0), unit: "rows/s" });
    const copyCmp = { what: "COPY limit", ...rps(copy) };
    /** Rows per second of a run against the COPY limit, with its target share of it. */
    const vsCopy = (id: string, what: string, run: { rowsPerSec: number }, min: number): Metric => ({
      id, what, figure: rps(run), comparison: copyCmp, ratio: round(run.rowsPerSec / copy.rowsPerSec), target: `≥ ${min} × COPY`, status: judge(run.rowsPerSec / copy.rowsPerSec, "≥", min),
    });
    const metrics: Metric[] = [
      vsCopy("ingest.fresh_vs_copy", `fresh ingest (the ingest step's transaction per chunk), ${P} chunks at a time`, fresh, 0.6),
      vsCopy("ingest.unchanged_vs_copy", `unchanged re-ingest, ${P} chunks at a time`, unchanged, 0.5),
      {
        id: "ingest.unchanged_n_tup_upd",
        what: "rows updated by the unchanged re-ingest (n_tup_upd)",
        figure: { value: unchanged.nTupUpd, unit: "rows" },
        comparison: null,
        ratio: null,
        note: `the generic ingest reported updated = ${unchanged.updated}, unchanged = ${unchanged.unchanged}`,
        target: "= 0",
        status: judge(unchanged.nTupUpd, "=", 0),
      },
    ];
    const figures: Figure[] = [
      {
        id: "ingest.copy_heap_vs_copy",
        what: "the same COPY stream into a table without indexes (the heap alone)",
        figure: rps(heap),
        comparison: copyCmp,
        ratio: round(heap.rowsPerSec / copy.rowsPerSec),
        note: "no load of the indexed serving table can reach it; the COPY limit above writes what the serving table holds",
      },
      { id: "ingest.fresh_vs_copy_heap", what: `fresh ingest (${P} at a time) vs COPY without indexes`, figure: rps(fresh), comparison: { what: "COPY, heap alone", ...rps(heap) }, ratio: round(fresh.rowsPerSec / heap.rowsPerSec) },
      { id: "ingest.unchanged_vs_copy_heap", what: `unchanged re-ingest (${P} at a time) vs COPY without indexes`, figure: rps(unchanged), comparison: { what: "COPY, heap alone", ...rps(heap) }, ratio: round(unchanged.rowsPerSec / heap.rowsPerSec) },
      { id: "ingest.insert_baseline_vs_copy", what: "(b) multi-value INSERT … ON CONFLICT, 1,000 rows/stmt", figure: rps(insert), comparison: copyCmp, ratio: round(insert.rowsPerSec / copy.rowsPerSec) },
      { id: "ingest.fresh_vs_insert", what: `fresh ingest (${P} at a time) vs (b)`, figure: rps(fresh), comparison: { what: "(b) INSERT", ...rps(insert) }, ratio: round(fresh.rowsPerSec / insert.rowsPerSec) },
      { id: "ingest.changed10_vs_copy", what: `10 % changed re-ingest, ${P} chunks at a time`, figure: rps(changed), comparison: copyCmp, ratio: round(changed.rowsPerSec / copy.rowsPerSec) },
      { id: "ingest.changed10_n_tup_upd", what: "rows updated by the 10 % changed re-ingest (n_tup_upd)", figure: { value: changed.nTupUpd, unit: "rows" }, comparison: { what: "changed rows", value: nRows / 10, unit: "rows" }, ratio: round(changed.nTupUpd / (nRows / 10)) },
      {
        id: "ingest.fresh_vs_copy_cpu",
        what: "fresh ingest vs COPY by CPU time (rows per CPU-second, Node + PostgreSQL)",
        figure: { value: round(fresh.rows / fresh.cpu.total, 0), unit: "rows/CPU-s" },
        comparison: { what: "COPY limit", value: round(copy.rows / copy.cpu.total, 0), unit: "rows/CPU-s" },
        ratio: round(fresh.rows / fresh.cpu.total / (copy.rows / copy.cpu.total)),
        note: "less sensitive than wall time to other load on a shared machine",
      },
      {
        id: "ingest.unchanged_vs_copy_cpu",
        what: "unchanged re-ingest vs COPY by CPU time",
        figure: { value: round(unchanged.rows / unchanged.cpu.total, 0), unit: "rows/CPU-s" },
        comparison: { what: "COPY limit", value: round(copy.rows / copy.cpu.total, 0), unit: "rows/CPU-s" },
        ratio: round(unchanged.rows / unchanged.cpu.total / (copy.rows / copy.cpu.total)),
      },
      { id: "ingest.fresh_p1_vs_copy", what: "fresh ingest, 1 chunk at a time (one connection, like COPY)", figure: rps(fresh1), comparison: copyCmp, ratio: round(fresh1.rowsPerSec / copy.rowsPerSec) },
    ];
    const runs = [fresh1, fresh, unchanged, changed];
    return {
      id: "ingest",
      title: "§1 Ingest throughput",
      measured: `${nRows.toLocaleString("en-US")} hourly rows (${scale.units} units × ${scale.hours.toLocaleString("en-US")} hours) into an empty nambu_generation through the project's path: per planner chunk (≤ ${CHUNK_DAYS} days × 1 unit, ${chunks.length} chunks) the ingest step's one transaction (partition locks, the rows as one text[] per column into the generated INSERT … SELECT … FROM unnest(…) ON CONFLICT into nambu_generation, which also returns the data versions, then the materializations), ${P} chunks at a time as the backfill flow runs them; vs one COPY stream of the same rows into a table with the serving table's indexes and constraints (the COPY limit; into a table without indexes as a supporting figure), and vs 1,000-row multi-value INSERT … ON CONFLICT.`,
      seconds: (performance.now() - t0) / 1000,
      metrics,
      figures,
      profile: [...profileOf(fresh), ...profileOf(unchanged)],
      notes: [
        `Chunks are what the planner makes for the kospo source (≤ ${CHUNK_DAYS} days × 1 unit = ≤ ${CHUNK_DAYS * 24} rows); each chunk is one ingest transaction, in the planner's order, as the backfill flow runs its ingest step, ${P} chunks at a time (its default parallelism). One chunk at a time on one connection is shown as well.`,
        `COPY limit: the median of three streams (${copyRuns.map((r) => fmt(r.rowsPerSec)).join(", ")} rows/s: before, between and after the project's runs); without indexes likewise (${heapRuns.map((r) => fmt(r.rowsPerSec)).join(", ")}).`,
        `Every measured run starts right after a CHECKPOINT (until 2026-12-07 a checkpoint triggered by the previous run's WAL could land inside any run, doubling its WAL with full-page images).`,
        `(b) INSERT and the one-chunk-at-a-time run load the first quarter of the chunks (${Math.ceil(chunks.length / 4)}; they are rates, supporting figures); the COPY limits and the headline runs load all ${chunks.length}.`,
        `Row generation and COPY text formatting are in every timing (all methods stream the same generated rows through the same code). Steps' own connection setup (withDb) is not in these figures; §2 reports it.`,
        `Materializations recorded: ${fresh.partitions.toLocaleString("en-US")} partitions per pass (ops.materializations + ops.asset_partitions).`,
        `The COPY limit is COPY into a table with the serving table's primary key, datetime index and constraints (until 2026-12-07 it was a table without indexes: the heap alone, which got 2.6 × faster when copyRows' formatting did and which no load of an indexed table can approach — ${fmt(heap.rowsPerSec)} rows/s here, ${round(heap.rowsPerSec / copy.rowsPerSec)} × the indexed COPY; the ratios against it are in the supporting figures).`,
      ],
      details: {
        rows: nRows,
        chunks: chunks.length,
        copy_limit: copy,
        copy_heap_only: heap,
        copy_limit_runs: copyRuns.map((r) => round(r.rowsPerSec, 0)),
        copy_heap_only_runs: heapRuns.map((r) => round(r.rowsPerSec, 0)),
        insert_baseline: insert,
        project_runs: runs,
      },
    };
  } finally {
    await db.drop();
  }
}
