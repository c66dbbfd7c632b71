// pvpipe: the command line of the local engine. The commands live in ./commands (index.ts lists
// them); only the one being run is loaded.
import { Command } from "commander";
import { groupsFor } from "./commands/index.ts";
import type { CliContext } from "./commands/context.ts";
import { UsageError } from "../config/errors.ts";
import { clearActiveBar, writeLine } from "./terminal.ts";
import { beforeHardStop, exitCodeFor, installSignalHandlers, interruptedBy } from "./signals.ts";

let debug = process.argv.includes("--debug");
const log = (s: string) => writeLine(s);
const ctx: CliContext = { out: (s) => process.stdout.write(`${s}\n`), log, debug: () => debug };

const program = new Command("pvpipe")
  .description("Asset-graph pipeline for Korean PV generation and weather (local engine)")
  .option("--debug", "show stack traces and step results")
  .showHelpAfterError("(pvpipe <command> --help for usage)")
  .exitOverride();

installSignalHandlers(log);
beforeHardStop(() => clearActiveBar());
// Loaded here only if a flow ran (then it is already in memory); otherwise there is nothing to abandon.
beforeHardStop(async () => (await import("../flow/engine.ts")).abandonActiveRuns("stopped at once by a second signal"));
// Anything unexpected is one line (the stack with --debug), and a stop keeps its exit code.
// (The postgres.js write on a closed connection that once ended a Ctrl-C'd backfill with a stack
// trace is fixed in patches/; its cause, the server getting the terminal's SIGINT, in server_process.ts.)
process.on("uncaughtException", (e) => {
  log(`pvpipe: unexpected error: ${e.message}`);
  if (debug && e.stack) log(e.stack);
  process.exit(interruptedBy() ? exitCodeFor(interruptedBy()!) : 1);
});

try {
  for (const group of groupsFor(process.argv.slice(2))) (await group.load())(program, ctx);
  await program.parseAsync(process.argv);
} catch (e) {
  const err = e as Error & { exitCode?: number; code?: string };
  if (err.code === "commander.helpDisplayed" || err.code === "commander.version") process.exitCode = 0;
  else if (err.code?.startsWith("commander.")) process.exitCode = 2;
  else if (interruptedBy() && !debug) {
    // Stopped by Ctrl-C/SIGTERM: what failed because of the stop is not news; the exit code says it.
  } else {
    const usage = err instanceof UsageError || err.name === "InvalidPlanRequest" || err.name === "UnknownPlantUnit" || err.name === "UnknownStation" || err.name === "DateNotPublished" || err.name === "ClockSettingInvalid";
    log(`pvpipe: ${err.message}`);
    if (debug && err.stack) log(err.stack);
    process.exitCode = usage ? 2 : 1;
  }
}
// Stopping is a normal outcome with its own exit code: 130 after SIGINT, 143 after SIGTERM.
if (interruptedBy()) process.exitCode = exitCodeFor(interruptedBy()!);
debug = false;
