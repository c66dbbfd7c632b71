#!/usr/bin/env -S node --max-semi-space-size=2 --heap-growing-percent=50
// Entry point: TypeScript sources run through tsx, so the CLI needs no build step. The node flags
// above (and in package.json's `start` and `pvpipe`) bound the heap: src/config/node_flags.ts.
// Where env has no -S: `node --max-semi-space-size=2 --heap-growing-percent=50 bin/pvpipe.mjs`.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
