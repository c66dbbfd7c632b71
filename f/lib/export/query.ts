// The SQL text of an export's rows, built from the dataset definitions only (no input reaches it;
// the range and unit travel as set_config parameters of the transaction, see datasets.ts).
import { selectList, type ExportColumn, type ExportFormat } from "./columns.ts";
import type { Branch, Dataset } from "./datasets.ts";

/** One unit's rows, in order. */
export function rowsQuery(ds: Dataset, branch: Branch, format: ExportFormat, columns: readonly ExportColumn[] = ds.columns): string {
  const from = ds.from[branch];
  if (!from) throw new Error(`dataset ${ds.id} has no ${branch} rows`);
  return `select ${selectList(columns, format)}\nfrom ${from}\norder by ${ds.orderBy}`;
}

/** COPY of one unit's rows as the export reads them: text for CSV (and JSON), binary for Parquet (typed values, nothing to parse). */
export function copyStatement(ds: Dataset, branch: Branch, format: ExportFormat, columns: readonly ExportColumn[] = ds.columns): string {
  return `copy (${rowsQuery(ds, branch, format, columns)}) to stdout${format === "parquet" ? " with (format binary)" : ""}`;
}

/** The columns exported: all, or with --measured-only the measured values only (no *_filled, *_fill_method). */
export function exportColumns(ds: Dataset, measuredOnly: boolean): ExportColumn[] {
  return measuredOnly ? ds.columns.filter((c) => !/(^|_)filled$|(^|_)fill_method$/.test(c.name)) : ds.columns;
}
