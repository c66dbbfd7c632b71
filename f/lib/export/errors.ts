// What can stop an export before anything is written, each named after what the person should do.
// All are usage errors (exit 2 on the CLI, one line) and never retried.

abstract class ExportUsageError extends Error {
  readonly retryable = false;
  readonly usage = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An unknown dataset, plant, unit or station, or a selection that matches no unit. */
export class PickKnownUnits extends ExportUsageError {}

/** Nothing is loaded in the range for the selection: the message names the partitions and the command that loads them. */
export class LoadRangeFirst extends ExportUsageError {}

/** The output path cannot be written (no such directory, not a directory, no permission). */
export class ChooseWritableOutput extends ExportUsageError {}

/** The output file (or its manifest) exists: give --force to replace it, or another --out. */
export class UseForceToReplace extends ExportUsageError {}

export const isExportUsageError = (e: unknown): e is Error & { usage: true } => e instanceof ExportUsageError;
