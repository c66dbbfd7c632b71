// What goes wrong in the UI, named after what the person should do; each carries its HTTP status
// and keeps its cause.
import { ActionableError } from "../../../f/lib/runtime/errors.ts";
import { UsageError } from "../../config/errors.ts";

/** A query parameter or form field is wrong: the page says which and why (400). */
export class CorrectTheRequest extends ActionableError {
  readonly status = 400;
}

/** The asset, partition, run or plant does not exist (404). */
export class PickAnExistingOne extends ActionableError {
  readonly status = 404;
}

/** A state-changing request without this server's token or from another origin (403): reload the page and try again. */
export class ReloadThePage extends ActionableError {
  readonly status = 403;
}

/** The UI's port is taken: choose another (--ui-port, PVPIPE_UI_PORT) or stop what uses it. */
export class ChooseAnotherUiPort extends UsageError {
  constructor(readonly port: number, options?: { cause?: unknown }) {
    super(`cannot serve the UI on 127.0.0.1:${port}: the port is in use (choose another with --ui-port or PVPIPE_UI_PORT, or --no-ui)`, options);
  }
}

export const httpStatusOf = (e: unknown): 400 | 403 | 404 | 500 =>
  e instanceof CorrectTheRequest ? 400 : e instanceof ReloadThePage ? 403 : e instanceof PickAnExistingOne ? 404 : 500;
