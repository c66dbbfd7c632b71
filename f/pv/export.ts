// Export a dataset over a range (the Windmill side of `pvpipe export`): with `out_path`, a CSV or
// Parquet file and its manifest on the worker at that path (temp file + rename: nothing
// half-written); without, a small range returned inline as JSON rows with the same summary.
// Bad input (unknown dataset, plant or station, nothing loaded, a path that cannot be written, an
// existing file without `force`) fails at once with one line, never retried.
import { z } from "zod";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { EXPORT_FORMATS } from "../lib/export/columns.ts";
import { DATASET_IDS } from "../lib/export/datasets.ts";
import { planOutput } from "../lib/export/output.ts";
import { exportInline, exportToFile, type ExportRequest } from "../lib/export/run.ts";
import { InvalidStepArguments, orDefault, postgresqlResource, stepArgs } from "../lib/runtime/step_args.ts";
import { isoDate } from "../lib/time/kst.ts";

type Postgresql = PgResource;

/** Rows a step returns inline at most (results are kept small); more needs out_path. */
export const INLINE_MAX_ROWS = 5000;

export const args = stepArgs("export", {
  db: postgresqlResource,
  dataset: z.enum(DATASET_IDS).describe("pv_weather (plant-hours × weather), kospo, koen or asos"),
  start: isoDate.describe("First day (KST)"),
  end: isoDate.describe("Last day (KST)"),
  plants: orDefault(z.array(z.string().trim().min(1)), []).describe("Plant codes (KOSPO gencd, KOEN 발전구분); empty = every plant"),
  units: orDefault(z.array(z.number().int().min(1)), []).describe("Unit numbers (호기) of the selected plants; empty = all"),
  stations: orDefault(z.array(z.number().int().positive()), []).describe("ASOS station ids (asos: the stations; pv_weather: plants matched to them); empty = all"),
  format: orDefault(z.enum(EXPORT_FORMATS), "csv").describe("csv (UTF-8 with BOM) or parquet"),
  out_path: orDefault(z.string().trim(), "").describe("File (or directory) on the worker; empty = return the rows inline (small ranges)"),
  measured_only: orDefault(z.boolean(), false).describe("Measured values only: no *_filled / *_fill_method columns"),
  bom: orDefault(z.boolean(), true).describe("CSV: start with a UTF-8 byte-order mark (Excel shows Hangul correctly)"),
  force: orDefault(z.boolean(), false).describe("Replace an existing file and manifest"),
});

export async function main(
  db: Postgresql,
  dataset: string,
  start: string,
  end: string,
  plants: string[] = [],
  units: number[] = [],
  stations: number[] = [],
  format: string = "csv",
  out_path: string = "",
  measured_only: boolean = false,
  bom: boolean = true,
  force: boolean = false,
) {
  const a = args.parse({ db, dataset, start, end, plants, units, stations, format, out_path, measured_only, bom, force });

  const req: ExportRequest = {
    dataset: a.dataset,
    start: a.start,
    end: a.end,
    filter: { plants: a.plants, units: a.units, stations: a.stations },
    format: a.format,
    measuredOnly: a.measured_only,
    bom: a.bom,
    command: `f/pv/export ${JSON.stringify({ dataset: a.dataset, start: a.start, end: a.end, plants: a.plants, units: a.units, stations: a.stations, format: a.format, out_path: a.out_path, measured_only: a.measured_only, bom: a.bom })}`,
  };
  if (a.start > a.end) throw new InvalidStepArguments("export", `start ${a.start} is after end ${a.end}`);
  if (!a.out_path) return withDb(a.db, (sql) => exportInline(sql, req, INLINE_MAX_ROWS));
  const paths = planOutput(a.out_path, `${a.dataset}_${a.start}_${a.end}.${a.format}`, { force: a.force, cwd: process.cwd() });
  return withDb(a.db, (sql) => exportToFile(sql, req, paths));
}
