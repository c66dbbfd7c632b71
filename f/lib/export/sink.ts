// Where decoded rows go: a file format (CSV, Parquet) or, on Windmill, the step's result.
import type { CopyRow } from "../db/copy_row.ts";

export interface RowSink<R extends CopyRow> {
  /** One row, its fields in the dataset's column order (the row is the decoder's, valid during the call). */
  write(row: R): void;
  /** Everything written and closed (footer, last buffer). */
  finish(): void;
}

/** Bytes to a file, counted and hashed on the way (the manifest's size and sha256). */
export interface ByteOut {
  /** `data` is the caller's buffer, reused once this returns: write or copy it before. */
  write(data: string | Uint8Array): void;
}
