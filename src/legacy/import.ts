// `pvpipe import-legacy`: the earlier Python pipeline's tables or CSV archive → the serving tables,
// corrected, through the same ingest and impute steps as fetched data, with materializations
// recorded as source `legacy`.
//   1. read + correct every row (read_db.ts / read_dir.ts) into stage.legacy_* (one transaction);
//   2. report per table and unit: rows read, shifted, duplicates, gaps, conflicts (sql.ts) —
//      a dry run stops here and rolls everything back;
//   3. per table: de-duplicated rows → the ingest step's stage table + partition outcomes;
//   4. the generic ingest (f/lib/load/ingest.ts) in chunks of partitions;
//   5. impute over the imported range.
import { randomUUID } from "node:crypto";
import type { Pool, Sql } from "../../f/lib/db/resource.ts";
import { imputeAsset, type ImputeResult } from "../../f/lib/quality/impute.ts";
import { ingestStaged } from "../../f/lib/load/ingest.ts";
import type { NewUnit } from "../../f/lib/load/register_units.ts";
import { finishRun, startRun } from "../../f/lib/store/runs.ts";
import { thisEngine } from "../runs/engine_address.ts";
import { beat } from "../runs/sql/beat.ts";
import { registerEngine } from "../runs/sql/register_engine.ts";
import { readLegacyDb, type ReadContext } from "./read_db.ts";
import { readLegacyDir } from "./read_dir.ts";
import { LegacySink, type Unplaced } from "./sink.ts";
import { clearLegacyStage, reportTarget, stageTarget, TARGETS, type Prefer, type UnitReport } from "./sql.ts";

export const IMPORT_FLOW = "import_legacy";

export interface ImportOptions {
  legacyDb: Sql | null;
  dir: string | null;
  /** Printed and recorded instead of the URL (password redacted). */
  describeSource: string;
  dryRun: boolean;
  prefer: Prefer;
  log?: (s: string) => void;
}

export interface TargetResult {
  table: string;
  asset: string;
  staged: number;
  partitions: number;
  recorded: number;
  inserted: number;
  updated: number;
  unchanged: number;
  new_units: NewUnit[];
  impute: Pick<ImputeResult, "start" | "end" | "units" | "updated" | "methods"> | null;
}

export interface ImportResult {
  run_id: string | null;
  dry_run: boolean;
  prefer: Prefer;
  source: string;
  sources: string[];
  not_imported: Unplaced[];
  units: UnitReport[];
  tables: TargetResult[];
}

class DryRunRollback extends Error {}

const INGEST_CHUNK = 500;

export async function importLegacy(sql: Pool, o: ImportOptions): Promise<ImportResult> {
  const log = o.log ?? (() => {});
  const ctx: ReadContext = {
    koenUnits: await sql<{ plant_name: string; hogi: number; display_name: string | null }[]>`
      select plant_name, hogi, display_name from public.namdong_plants order by plant_name, hogi`,
    stations: new Map((await sql<{ station_name: string; stn_id: number }[]>`select station_name, stn_id from public.asos_stations`).map((s) => [s.station_name, s.stn_id])),
  };
  // The 'legacy-' prefix is what marks its materializations as source legacy (migration 0008).
  const runId = `legacy-${randomUUID()}`;
  const result: ImportResult = {
    run_id: o.dryRun ? null : runId, dry_run: o.dryRun, prefer: o.prefer, source: o.describeSource,
    sources: [], not_imported: [], units: [], tables: [],
  };
  let heart: NodeJS.Timeout | undefined;
  if (!o.dryRun) {
    await startRun(sql, { runId, flow: IMPORT_FLOW, engine: "local", inputs: { source: o.describeSource, prefer: o.prefer } });
    // A long import is a run like any other: its heartbeat tells it from one whose process is gone.
    await registerEngine(sql, runId, thisEngine());
    heart = setInterval(() => void beat(sql, runId).catch(() => undefined), 3000);
    heart.unref();
  }
  try {
    // 1 + 2: read, correct, stage and report in one transaction (rolled back by a dry run).
    try {
      await sql.begin(async (tx0) => {
        const tx: Sql = tx0;
        const sink = new LegacySink(tx, runId);
        log(`reading ${o.describeSource}…`);
        if (o.legacyDb) await readLegacyDb(o.legacyDb, sink, ctx);
        if (o.dir) await readLegacyDir(o.dir, sink, ctx);
        await sink.flush();
        result.sources = sink.sources;
        result.not_imported = sink.rejected;
        for (const t of TARGETS) result.units.push(...(await reportTarget(tx, t, runId)));
        if (o.dryRun) throw new DryRunRollback();
      });
    } catch (e) {
      if (!(e instanceof DryRunRollback)) throw e;
      return result;
    }

    // 3 + 4 + 5 per serving table.
    for (const t of TARGETS) {
      const units = result.units.filter((u) => u.table === t.asset.table.replace(/^public\./, ""));
      if (!units.some((u) => u.rows > 0)) continue;
      const staged = (await sql.begin((tx) => stageTarget(tx, t, runId, o.prefer))) as Awaited<ReturnType<typeof stageTarget>>;
      const r: TargetResult = {
        table: t.asset.table.replace(/^public\./, ""), asset: t.asset.key, staged: staged.rows, partitions: staged.partitions.length,
        recorded: 0, inserted: 0, updated: 0, unchanged: 0, new_units: [], impute: null,
      };
      log(`${r.table}: ingesting ${staged.rows} rows in ${staged.partitions.length} partitions…`);
      for (let i = 0; i < staged.partitions.length; i += INGEST_CHUNK) {
        const chunk = staged.partitions.slice(i, i + INGEST_CHUNK);
        const res = await ingestStaged(sql, t.asset, runId, chunk);
        r.recorded += res.success + res.empty;
        r.inserted += res.inserted;
        r.updated += res.updated;
        r.unchanged += res.unchanged;
        r.new_units.push(...(res.new_units ?? []));
      }
      const days = units.filter((u) => u.first && u.last);
      if (days.length) {
        const start = days.map((u) => u.first!.slice(0, 10)).sort()[0];
        const end = days.map((u) => u.last!.slice(0, 10)).sort().at(-1)!;
        log(`${r.table}: impute ${start}..${end}…`);
        const pdims = t.asset.source.units.dimension ? days.map((u) => u.unit) : null;
        const imp = await imputeAsset(sql, { asset: t.asset.key, start, end, pdims, runId });
        r.impute = { start: imp.start, end: imp.end, units: imp.units, updated: imp.updated, methods: imp.methods };
      }
      result.tables.push(r);
    }
    await clearLegacyStage(sql, runId);
    await finishRun(sql, runId, "success", summaryOf(result));
    return result;
  } catch (e) {
    if (!o.dryRun) {
      await clearLegacyStage(sql, runId).catch(() => {});
      await finishRun(sql, runId, "failed", summaryOf(result), (e as Error).message).catch(() => {});
    }
    throw e;
  } finally {
    clearInterval(heart);
  }
}

function summaryOf(r: ImportResult): Record<string, unknown> {
  return {
    source: r.source,
    prefer: r.prefer,
    tables: r.tables.map((t) => ({ table: t.table, staged: t.staged, recorded: t.recorded, inserted: t.inserted, updated: t.updated })),
    not_imported: r.not_imported.reduce((n, u) => n + u.rows, 0),
  };
}
