// The V8 heap settings every pvpipe process starts with: bin/pvpipe.mjs's shebang and the npm
// scripts `start` and `pvpipe` carry them (tests/unit/node_flags.test.ts keeps the three equal),
// and the §4 benchmark runs its backfill child with them. They complement what the code does to
// keep a backfill small (docs/BENCH.md §4): by default V8 lets the young generation grow to
// 2 × 16 MB and the old one to up to 4 × its live size between full collections, so a 10-year
// backfill whose live heap is ~23 MB peaks at ~210 MB RSS; with these at ~140 MB, at the same CPU.
// They are command-line flags because V8 sizes the young generation when the process starts.
export const NODE_MEMORY_FLAGS = [
  "--max-semi-space-size=4", // young generation at most 2 × 4 MB
  "--heap-growing-percent=50", // a full collection once the old generation is 1.5 × what the last one kept
] as const;
