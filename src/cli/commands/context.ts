// What a command's registration gets from the entry point: where its lines go, and whether
// --debug was given (read when the command runs).
import type { Command } from "commander";

export interface CliContext {
  /** A line on stdout (the command's result). */
  out(line: string): void;
  /** A line on stderr (progress, notes), above the progress bar when one is drawn. */
  log(line: string): void;
  debug(): boolean;
}

/** Adds one or more commands to the program. */
export type RegisterCommands = (program: Command, ctx: CliContext) => void;
