// What goes wrong in the UI, named after what the person should do; each carries its HTTP status
// and keeps its cause.
import { UsageError } from "../../config/errors.ts";

/** A query parameter or form field is wrong: the page says which and why (400). */
export class CorrectTheRequest extends Error {
  readonly status = 400;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CorrectTheRequest";
  }
}

/** The asset, partition, run or plant does not exist (404). */
export class PickAnExistingOne extends Error {
  readonly status = 404;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PickAnExistingOne";
  }
}

/** A state-changing request without this server's token or from another origin (403): reload the page and try again. */
export class ReloadThePage extends Error {
  readonly status = 403;
  constructor(message: string) {
    super(message);
    this.name = "ReloadThePage";
  }
}

/** The UI's port is taken: choose another (--ui-port, PVPIPE_UI_PORT) or stop what uses it. */
export class ChooseAnotherUiPort extends UsageError {
  constructor(readonly port: number, options?: { cause?: unknown }) {
    super(`cannot serve the UI on 127.0.0.1:${port}: the port is in use (choose another with --ui-port or PVPIPE_UI_PORT, or --no-ui)`);
    this.name = "ChooseAnotherUiPort";
    if (options?.cause) this.cause = options.cause;
  }
}

export const httpStatusOf = (e: unknown): 400 | 403 | 404 | 500 =>
  e instanceof CorrectTheRequest ? 400 : e instanceof ReloadThePage ? 403 : e instanceof PickAnExistingOne ? 404 : 500;
