// Where decoded rows go: a file format (CSV, Parquet) or, on Windmill, the step's result.
export interface RowSink {
  /** One row, its fields in the dataset's column order, as PostgreSQL printed them (NULL = null). */
  write(fields: (string | null)[]): void;
  /** Everything written and closed (footer, last buffer). */
  finish(): void;
}

/** Bytes to a file, counted and hashed on the way (the manifest's size and sha256). */
export interface ByteOut {
  write(data: string | Uint8Array): void;
}
