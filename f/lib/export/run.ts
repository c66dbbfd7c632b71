// An export end to end: resolve the units, check that something is loaded, stream every unit's
// rows out of PostgreSQL (`COPY (…) TO STDOUT`, one statement per unit, all in one read-only
// repeatable-read transaction, so rows and manifest come from one snapshot; text for CSV, binary
// for Parquet) through the decoder into the file's sink — field offsets into the bytes received,
// not a string per field — count rows and provenance on the way, write the manifest, and only then
// move both files to their names. Memory stays flat in the range length: rows pass through, the
// Parquet sink holds one page of raw values per column and one row group's encoded pages, the
// manifest's long sections are streamed.
import { createHash } from "node:crypto";
import { writeSync } from "node:fs";
import { basename } from "node:path";
import { copyOut, drainCopy } from "../db/copy.ts";
import { CopyBinaryRows, type BinaryRow } from "../db/copy_binary_rows.ts";
import type { CopyDecoder, CopyRow } from "../db/copy_row.ts";
import { CopyTextRows, type TextRow } from "../db/copy_text_rows.ts";
import type { Pool, Sql } from "../db/resource.ts";
import { asosHourly, koenHourly, kospoHourly } from "../assets/catalog.ts";
import { now } from "../time/clock.ts";
import { addDays, kstMidnight, monthStart } from "../time/kst.ts";
import type { ExportColumn, ExportFormat } from "./columns.ts";
import { describeMissing, missingPartitions, sourcesOf, type MissingPartitions } from "./coverage.ts";
import { rowsPerUnit } from "./counts.ts";
import { CsvSink } from "./csv_sink.ts";
import { DATASETS, SETTING, type Dataset, type DatasetId } from "./datasets.ts";
import { LoadRangeFirst } from "./errors.ts";
import { assetUnitKey, writeManifest, type CheckScope, type ManifestHead, type PartitionScope } from "./manifest.ts";
import { TempFile, type OutputPaths } from "./output.ts";
import { ParquetSink } from "./parquet_sink.ts";
import { MethodCounts } from "./method_counts.ts";
import { copyStatement, exportColumns } from "./query.ts";
import type { ByteOut, RowSink } from "./sink.ts";
import { resolveUnits, type ExportUnit, type UnitFilter } from "./units.ts";
import { PVPIPE_VERSION } from "./version.ts";

export interface ExportRequest {
  dataset: DatasetId;
  /** First and last day, KST. */
  start: string;
  end: string;
  filter: UnitFilter;
  format: ExportFormat;
  measuredOnly: boolean;
  /** CSV: start with a UTF-8 byte-order mark (default). */
  bom: boolean;
  /** The command as the manifest records it (secrets already redacted). */
  command: string;
}

export interface ExportEvents {
  /** Units resolved and rows counted, before the first row. */
  start?(info: { units: number; rows: number }): void;
  /** Rows written so far (every few thousand rows and at the end of each unit). */
  progress?(rows: number): void;
  /** Something the person should know (e.g. partitions not loaded); the export goes on. */
  warn?(line: string): void;
  /** Stop (Ctrl-C): checked between units (a COPY runs to its end); the export ends with ExportStopped and leaves no file. */
  signal?: AbortSignal;
}

export class ExportStopped extends Error {
  readonly retryable = false;
  constructor(options?: { cause?: unknown }) {
    super("export stopped before it was complete: nothing was written", options);
    this.name = "ExportStopped";
  }
}

export interface ExportSummary {
  dataset: DatasetId;
  rows: number;
  units: number;
  rows_per_unit: Record<string, number>;
  fill_methods: Record<string, Record<string, number>>;
  missing_partitions: MissingPartitions[];
}

export interface ExportFileResult extends ExportSummary {
  path: string;
  manifest_path: string;
  bytes: number;
  sha256: string;
}

const PROGRESS_EVERY = 10_000;

/** [start 00:00 KST, end + 1 00:00 KST). */
const instantRange = (start: string, end: string) => ({ from: kstMidnight(start), to: kstMidnight(addDays(end, 1)) });

const iso = (d: Date) => d.toISOString();

interface Prepared {
  ds: Dataset;
  columns: ExportColumn[];
  units: ExportUnit[];
  total: number;
  missing: MissingPartitions[];
}

/** Units, row counts and what is not loaded; LoadRangeFirst when nothing is. */
async function prepare(tx: Sql, req: ExportRequest): Promise<Prepared> {
  const ds = DATASETS[req.dataset];
  const range = instantRange(req.start, req.end);
  await tx`select set_config(${SETTING.from}, ${iso(range.from)}, true), set_config(${SETTING.to}, ${iso(range.to)}, true),
                  set_config('extra_float_digits', '1', true)`;
  const units = await resolveUnits(tx, req.dataset, req.filter, range);
  const counts = await rowsPerUnit(tx, units, range);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const missing = await missingPartitions(tx, sourcesOf(req.dataset, units, req, req.filter.stations.length > 0));
  if (total === 0) {
    const what = missing.length ? describeMissing(missing) : "the selected units have no rows there";
    throw new LoadRangeFirst(`nothing to export: no ${req.dataset} rows ${req.start}..${req.end}; ${what}`);
  }
  return { ds, columns: exportColumns(ds, req.measuredOnly), units, total, missing };
}

/** Where rows go and how COPY sends them: text rows to CSV and JSON, binary rows to Parquet. */
type Target = { format: "csv"; sink: RowSink<TextRow> } | { format: "parquet"; sink: RowSink<BinaryRow> };

const decoderFor = (t: Target, onRow: (row: CopyRow) => void): CopyDecoder =>
  t.format === "parquet"
    ? new CopyBinaryRows((row) => {
        onRow(row);
        t.sink.write(row);
      })
    : new CopyTextRows((row) => {
        onRow(row);
        t.sink.write(row);
      });

/** Stream every unit's rows into the target's sink; returns rows per unit key and provenance counts. */
async function streamRows(tx: Sql, p: Prepared, target: Target, events: ExportEvents) {
  const methodCols = p.columns.flatMap((c, index) => (c.name.endsWith("_fill_method") || c.name === "fill_method" ? [{ index, name: c.name }] : []));
  const methods = new MethodCounts(methodCols);
  const perUnit: Record<string, number> = {};
  let rows = 0;
  let unitRows = 0;
  const onRow = (row: CopyRow) => {
    if (row.count !== p.columns.length) throw new Error(`COPY row with ${row.count} fields, expected ${p.columns.length}`);
    methods.add(row);
    unitRows++;
    if (++rows % PROGRESS_EVERY === 0) events.progress?.(rows);
  };
  for (const u of p.units) {
    if (events.signal?.aborted) throw new ExportStopped({ cause: events.signal.reason });
    await tx`select set_config(${SETTING.code}, ${u.code}, true), set_config(${SETTING.hogi}, ${String(u.hogi ?? "")}, true),
                    set_config(${SETTING.stn}, ${String(u.stn ?? "")}, true), set_config(${SETTING.solarStn}, ${String(u.solarStn ?? "")}, true)`;
    unitRows = 0;
    const decoder = decoderFor(target, onRow);
    const stream = await copyOut(tx, copyStatement(p.ds, u.branch, target.format, p.columns));
    await drainCopy(stream, (chunk) => decoder.push(chunk));
    decoder.end();
    perUnit[u.key] = unitRows;
    events.progress?.(rows);
  }
  return { rows, perUnit, methods: methods.toJSON() };
}

/** Bytes to a file descriptor, with their count and sha256. */
class HashedOut implements ByteOut {
  bytes = 0;
  private readonly hash = createHash("sha256");
  constructor(private readonly fd: number) {}
  write(data: string | Uint8Array): void {
    const b = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    this.hash.update(b);
    writeSync(this.fd, b);
    this.bytes += b.length;
  }
  digest(): string {
    return this.hash.digest("hex");
  }
}

const kindType = (c: ExportColumn, format: ExportFormat): string => {
  const csv = { text: "text", int: "integer", double: "number (dot decimal)", utc: "ISO 8601 UTC (…Z)", kst: "ISO 8601 KST (…+09:00)", date: "YYYY-MM-DD" };
  const pq = { text: "STRING", int: "INT32", double: "DOUBLE", utc: "TIMESTAMP(MILLIS, UTC)", kst: "TIMESTAMP(MILLIS, KST wall clock, not UTC-adjusted)", date: "DATE" };
  return (format === "csv" ? csv : pq)[c.kind];
};

/** The partitions and checks an export read: what the manifest lists. */
function scopes(req: ExportRequest, units: ExportUnit[]): { parts: PartitionScope[]; checks: CheckScope[] } {
  const parts: PartitionScope[] = [];
  const checks: CheckScope[] = [];
  const kospo = units.filter((u) => u.branch === "kospo").map(assetUnitKey);
  const koen = units.filter((u) => u.branch === "koen").map(assetUnitKey);
  const stations = [...new Set(units.flatMap((u) => [u.stn, u.solarStn]).filter((s): s is number => s !== null))].sort((a, b) => a - b).map(String);
  if (kospo.length) {
    parts.push({ asset: kospoHourly.key, start: req.start, end: req.end, pdims: kospo });
    checks.push({ asset: kospoHourly.key, start: req.start, end: req.end, units: kospo });
  }
  if (koen.length) {
    parts.push({ asset: koenHourly.key, start: monthStart(req.start), end: req.end, pdims: null });
    checks.push({ asset: koenHourly.key, start: req.start, end: req.end, units: koen });
  }
  if (stations.length) {
    const end = req.dataset === "pv_weather" ? addDays(req.end, 1) : req.end;
    parts.push({ asset: asosHourly.key, start: req.start, end, pdims: stations });
    checks.push({ asset: asosHourly.key, start: req.start, end, units: stations });
  }
  return { parts, checks };
}

/** Export to files (`paths` from planOutput). Nothing is left at either path unless the whole export succeeded. */
export async function exportToFile(sql: Pool, req: ExportRequest, paths: OutputPaths, events: ExportEvents = {}): Promise<ExportFileResult> {
  const files: TempFile[] = [];
  try {
    return await sql.begin("isolation level repeatable read read only", async (tx0) => {
      const tx: Sql = tx0;
      const p = await prepare(tx, req);
      if (p.missing.length) events.warn?.(`some partitions are not loaded (their rows or weather are absent from the file): ${describeMissing(p.missing)}`);
      events.start?.({ units: p.units.length, rows: p.total });
      const data = new TempFile(paths.path);
      files.push(data);
      const out = new HashedOut(data.fd!);
      const target: Target =
        req.format === "csv"
          ? { format: "csv", sink: new CsvSink(out, p.columns, { bom: req.bom }) }
          : { format: "parquet", sink: new ParquetSink(out, p.columns, {
              "pvpipe.version": PVPIPE_VERSION,
              "pvpipe.dataset": req.dataset,
              "pvpipe.range": `${req.start}..${req.end} (KST days)`,
              "pvpipe.manifest": basename(paths.manifestPath),
              "pvpipe.columns": JSON.stringify(Object.fromEntries(p.columns.map((c) => [c.name, c.doc]))),
            }) };
      const s = await streamRows(tx, p, target, events);
      target.sink.finish();
      data.close();
      const range = instantRange(req.start, req.end);
      const head: ManifestHead = {
        pvpipe_version: PVPIPE_VERSION,
        command: req.command,
        created_at: now().toISOString(),
        dataset: req.dataset,
        title: p.ds.title,
        row: p.ds.row,
        format: req.format,
        file: { name: basename(paths.path), bytes: out.bytes, sha256: out.digest(), ...(req.format === "csv" ? { bom: req.bom } : {}) },
        measured_only: req.measuredOnly,
        range: { start: req.start, end: req.end, from: iso(range.from), to: iso(range.to) },
        selection: req.filter,
        columns: p.columns.map((c) => ({ name: c.name, type: kindType(c, req.format), doc: c.doc })),
        rows: s.rows,
        rows_per_unit: s.perUnit,
        fill_methods: s.methods,
        missing_partitions: p.missing,
      };
      const manifest = new TempFile(paths.manifestPath);
      files.push(manifest);
      const sc = scopes(req, p.units);
      await writeManifest(manifest.fd!, tx, head, sc.parts, sc.checks);
      manifest.close();
      data.commit();
      manifest.commit();
      return { dataset: req.dataset, rows: s.rows, units: p.units.length, rows_per_unit: s.perUnit, fill_methods: s.methods, missing_partitions: p.missing, path: paths.path, manifest_path: paths.manifestPath, bytes: head.file.bytes, sha256: head.file.sha256 };
    });
  } catch (e) {
    for (const f of files) f.discard();
    throw e;
  }
}

/** Values for JSON: numbers as numbers, the rest as the CSV text. */
class JsonRows implements RowSink<TextRow> {
  readonly rows: Record<string, string | number | null>[] = [];
  constructor(private readonly columns: ExportColumn[]) {}
  write(row: TextRow): void {
    const r: Record<string, string | number | null> = {};
    this.columns.forEach((c, i) => {
      const v = row.text(i);
      r[c.name] = v === null ? null : c.kind === "int" || c.kind === "double" ? Number(v) : v;
    });
    this.rows.push(r);
  }
  finish(): void {}
}

export class TooManyRowsInline extends Error {
  readonly retryable = false;
  constructor(rows: number, max: number) {
    super(`${rows} rows are too many to return inline (at most ${max}): give out_path to write a file`);
    this.name = "TooManyRowsInline";
  }
}

/** A small export returned as JSON rows (the Windmill step without a path): columns, rows and the summary. */
export async function exportInline(sql: Pool, req: ExportRequest, maxRows: number) {
  return sql.begin("isolation level repeatable read read only", async (tx0) => {
    const tx: Sql = tx0;
    const p = await prepare(tx, req);
    if (p.total > maxRows) throw new TooManyRowsInline(p.total, maxRows);
    const sink = new JsonRows(p.columns);
    const s = await streamRows(tx, p, { format: "csv", sink }, {});
    const summary: ExportSummary = { dataset: req.dataset, rows: s.rows, units: p.units.length, rows_per_unit: s.perUnit, fill_methods: s.methods, missing_partitions: p.missing };
    return { ...summary, pvpipe_version: PVPIPE_VERSION, columns: p.columns.map((c) => ({ name: c.name, type: kindType(c, "csv"), doc: c.doc })), data: sink.rows };
  });
}
