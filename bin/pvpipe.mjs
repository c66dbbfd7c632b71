#!/usr/bin/env -S node --max-semi-space-size=2
// Entry point: TypeScript sources run through tsx, so the CLI needs no build step.
// --max-semi-space-size=2: V8's young generation at most 2 × 2 MB instead of 2 × 16 MB. Reading a
// COPY, postgres.js makes short-lived objects per row and a socket buffer per read, freed only by
// a scavenge; by default the young generation grows to its maximum and dead buffers pile up
// between scavenges, which is most of a large export's peak RSS (README "Export", docs/BENCH.md
// §10). Where env has no -S: `node --max-semi-space-size=2 bin/pvpipe.mjs` (as the npm scripts).
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
