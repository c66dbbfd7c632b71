import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NODE_MEMORY_FLAGS } from "../../src/config/node_flags.ts";

const ROOT = join(import.meta.dirname, "..", "..");

describe("the node flags pvpipe starts with", () => {
  it("are the same in the CLI's shebang and in the npm scripts that start it", () => {
    const shebang = readFileSync(join(ROOT, "bin", "pvpipe.mjs"), "utf8").split("\n")[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${NODE_MEMORY_FLAGS.join(" ")}`);
    const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe(`node ${NODE_MEMORY_FLAGS.join(" ")} bin/pvpipe.mjs start`);
    expect(scripts.pvpipe).toBe(`node ${NODE_MEMORY_FLAGS.join(" ")} bin/pvpipe.mjs`);
    // and no other script starts the CLI without them
    const starting = Object.entries(scripts).filter(([, cmd]) => cmd.includes("bin/pvpipe.mjs"));
    expect(starting.map(([name]) => name).sort()).toEqual(["pvpipe", "start"]);
  });
});
