// Errors the CLI maps to exit code 2 with a one-line message: the person must fix an input.
import { ActionableError } from "../../f/lib/runtime/errors.ts";

export class UsageError extends ActionableError {
  readonly exitCode = 2;
}

export class ConfigError extends UsageError {}
