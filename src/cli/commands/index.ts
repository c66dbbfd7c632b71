// Every command of the CLI, in the order of `pvpipe --help`, each with the module that defines it.
// A module is loaded only when its command runs (all of them for help or an unknown command):
// printing one SQL result should not import every source, flow and the web UI first — that was a
// second of start-up per command.
import type { RegisterCommands } from "./context.ts";

interface CommandGroup {
  names: readonly string[];
  load(): Promise<RegisterCommands>;
}

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { names: ["start"], load: async () => (await import("./start_command.ts")).registerStartCommand },
  { names: ["backfill", "plan", "run"], load: async () => (await import("./flow_commands.ts")).registerFlowCommands },
  { names: ["status"], load: async () => (await import("./status_command.ts")).registerStatusCommand },
  { names: ["assets"], load: async () => (await import("./assets_command.ts")).registerAssetsCommand },
  { names: ["migrate"], load: async () => (await import("./migrate_command.ts")).registerMigrateCommand },
  { names: ["sql"], load: async () => (await import("./sql_command.ts")).registerSqlCommand },
  { names: ["import-legacy"], load: async () => (await import("./import_legacy.ts")).registerImportLegacyCommand },
  { names: ["check", "checks", "impute"], load: async () => (await import("./checks.ts")).registerQualityCommands },
  { names: ["runs", "logs", "cancel"], load: async () => (await import("./runs.ts")).registerRunCommands },
  { names: ["db-url", "db"], load: async () => (await import("./db.ts")).registerDbCommands },
  { names: ["ui"], load: async () => (await import("../../ui/cli.ts")).registerUiCommand },
  { names: ["export"], load: async () => (await import("./export.ts")).registerExportCommands },
];

/** The groups to load for these arguments: the named command's, or all of them (help, typos). */
export function groupsFor(args: readonly string[]): readonly CommandGroup[] {
  const name = args.find((a) => !a.startsWith("-"));
  const group = name === undefined ? undefined : COMMAND_GROUPS.find((g) => g.names.includes(name));
  return group ? [group] : COMMAND_GROUPS;
}

