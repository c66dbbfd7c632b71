// The stray write postgres.js makes on a connection the server has closed (porsager/postgres#1208;
// the TypeError that once ended a Ctrl-C'd `pvpipe backfill`) is the one uncaught error the CLI
// lets pass; it is recognised by its message and where it is thrown, nothing else is.
import { describe, expect, it } from "vitest";
import { isClosedSocketWrite } from "../../src/db/postgres_js_guard.ts";

const withStack = (e: Error, frames: string[]) => {
  e.stack = [`${e.name}: ${e.message}`, ...frames.map((f) => `    at ${f}`)].join("\n");
  return e;
};

describe("isClosedSocketWrite", () => {
  it("recognises the write on a closed socket as reported (issue #19, postgres.js 3.4.9)", () => {
    const e = withStack(new TypeError("Cannot read properties of null (reading 'write')"), [
      "Immediate.nextWrite (file:///work/main/node_modules/postgres/src/connection.js:255:22)",
      "process.processImmediate (node:internal/timers:485:21)",
    ]);
    expect(isClosedSocketWrite(e)).toBe(true);
  });

  it("takes nothing else for it", () => {
    expect(isClosedSocketWrite(withStack(new TypeError("Cannot read properties of null (reading 'write')"), ["Object.write (src/cli/progress.ts:10:5)"]))).toBe(false);
    expect(isClosedSocketWrite(withStack(new TypeError("Cannot read properties of undefined (reading 'rows')"), ["nextWrite (node_modules/postgres/src/connection.js:255:22)"]))).toBe(false);
    expect(isClosedSocketWrite(withStack(new Error("Cannot read properties of null (reading 'write')"), ["nextWrite (node_modules/postgres/src/connection.js:255:22)"]))).toBe(false);
    expect(isClosedSocketWrite("Cannot read properties of null (reading 'write')")).toBe(false);
  });
});
