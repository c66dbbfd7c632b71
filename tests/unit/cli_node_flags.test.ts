// The CLI runs with the Node options on bin/pvpipe.mjs's first line (a capped young generation,
// README "Export"); the npm scripts that start it pass the same ones, and the export benchmark
// runs its child with them (bench/lib/child.ts reads that line).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliNodeFlags } from "../../bench/lib/child.ts";

const ROOT = join(import.meta.dirname, "..", "..");

describe("the CLI's Node options", () => {
  it("the entry's shebang, the npm scripts and the benchmark agree", () => {
    const flags = cliNodeFlags(ROOT);
    expect(flags).toEqual(["--max-semi-space-size=2"]);
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    const starting = Object.entries(scripts).filter(([, cmd]) => cmd.includes("bin/pvpipe.mjs"));
    expect(starting.map(([name]) => name).sort()).toEqual(["pvpipe", "start"]);
    for (const [name, cmd] of starting) expect(cmd, name).toMatch(new RegExp(`^node ${flags.join(" ")} bin/pvpipe\\.mjs\\b`));
  });
});
