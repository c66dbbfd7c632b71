// The V8 heap settings every pvpipe process starts with: bin/pvpipe.mjs's shebang and the npm
// scripts `start` and `pvpipe` carry them (tests/unit/node_flags.test.ts keeps the three equal),
// and the §4 and §10 benchmarks run their children with them. They complement what the code does
// to stay small (docs/BENCH.md §4, §10): by default V8 lets the young generation grow to 2 × 16 MB
// and the old one to up to 4 × its live size between full collections. A 10-year backfill whose
// live heap is ~23 MB then peaks at ~210 MB RSS, and an export, whose COPY stream leaves a dead
// socket buffer per read until the next scavenge, at ~165 MB; with these, ~140 MB and ~125 MB at
// the same CPU. They are command-line flags because V8 sizes the young generation at start-up.
export const NODE_MEMORY_FLAGS = [
  "--max-semi-space-size=2", // young generation at most 2 × 2 MB
  "--heap-growing-percent=50", // a full collection once the old generation is 1.5 × what the last one kept
] as const;
