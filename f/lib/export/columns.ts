// A column of an exported dataset: its name, its kind (how it is written in CSV and typed in
// Parquet), the SQL expression of its value and what it means. The same definitions produce the
// CSV text (formatted by PostgreSQL), the Parquet schema and the README's column table.
export type ColumnKind = "text" | "int" | "double" | "utc" | "kst" | "date";

export interface ExportColumn {
  name: string;
  kind: ColumnKind;
  /** SQL expression of the value in its natural type (timestamptz for utc/kst, date, text, …). */
  expr: string;
  /** What the value is (unit, convention), for the README and the Parquet key-value metadata. */
  doc: string;
  /** Few distinct values (names, methods, grades): dictionary-encoded in Parquet. */
  dict?: boolean;
}

export type ExportFormat = "csv" | "parquet";
export const EXPORT_FORMATS = ["csv", "parquet"] as const;

/**
 * The SELECT expression of a column for a format. CSV (COPY text): text exactly as written to the
 * file — instants as ISO 8601 (`…+09:00` for KST, `…Z` for UTC), dates as YYYY-MM-DD, numbers as
 * PostgreSQL prints float8 (dot decimal, shortest exact form), NULL left NULL (an empty field).
 * Parquet (COPY binary): each value in the one type the writer reads (copy_binary_rows.ts) —
 * int4, float8, date, timestamptz for UTC and the KST wall clock as timestamp.
 */
export function selectExpr(c: ExportColumn, format: ExportFormat): string {
  const e = c.expr;
  switch (c.kind) {
    case "text":
      return `(${e})::text`;
    case "int":
      return `(${e})::int4`;
    case "double":
      return `(${e})::float8`;
    case "utc":
      return format === "csv" ? `to_char((${e}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')` : `(${e})::timestamptz`;
    case "kst":
      return format === "csv"
        ? `to_char((${e}) at time zone 'Asia/Seoul', 'YYYY-MM-DD"T"HH24:MI:SS"+09:00"')`
        : `((${e})::timestamptz at time zone 'Asia/Seoul')`;
    case "date":
      return format === "csv" ? `to_char(${e}, 'YYYY-MM-DD')` : `(${e})::date`;
  }
}

/** `<expr> as "<name>"` for every column (names are checked identifiers). */
export function selectList(columns: readonly ExportColumn[], format: ExportFormat): string {
  return columns.map((c) => `${selectExpr(c, format)} as ${ident(c.name)}`).join(",\n       ");
}

export function ident(s: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`unsafe SQL identifier "${s}"`);
  return s;
}
