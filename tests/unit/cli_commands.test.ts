// The CLI loads only the module of the command it runs (src/cli/commands/index.ts): each group
// must define exactly the commands it is listed under, or `pvpipe <name>` would not find its command.
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMAND_GROUPS, groupsFor } from "../../src/cli/commands/index.ts";
import type { CliContext } from "../../src/cli/commands/context.ts";

const ctx: CliContext = { out: () => {}, log: () => {}, debug: () => false };

describe("command groups", () => {
  it.each(COMMAND_GROUPS.map((g) => [g.names.join(", "), g] as const))("%s: the module defines exactly these commands", async (_n, group) => {
    const program = new Command("pvpipe");
    (await group.load())(program, ctx);
    expect(program.commands.map((c) => c.name()).sort()).toEqual([...group.names].sort());
  });

  it("no command is listed twice", () => {
    const names = COMMAND_GROUPS.flatMap((g) => g.names);
    expect(names.length).toBeGreaterThan(10);
    expect(new Set(names).size).toBe(names.length);
  });

  it("loads the named command's group only; all of them for help, options only, or an unknown name", () => {
    expect(groupsFor(["sql", "select 1"]).map((g) => g.names)).toEqual([["sql"]]);
    expect(groupsFor(["--debug", "logs", "abc"]).map((g) => g.names)).toEqual([["runs", "logs", "cancel"]]);
    for (const args of [[], ["--help"], ["bogus"]]) expect(groupsFor(args)).toBe(COMMAND_GROUPS);
  });
});
