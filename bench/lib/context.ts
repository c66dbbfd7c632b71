// What every section gets: the server, the run mode and a logger for progress lines.
import { performance } from "node:perf_hooks";
import type { BenchServer } from "./server.ts";

export interface BenchContext {
  server: BenchServer;
  quick: boolean;
  /** §4: stop each backfill after this many chunks (0 = run to the end). */
  memoryChunks?: number;
  /** Progress lines (stderr), not part of the result table. */
  progress: (line: string) => void;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;

export interface CpuSeconds {
  node: number;
  pg: number;
  total: number;
}

/**
 * CPU seconds used from now on by this process and by the benchmark's PostgreSQL (exited backends
 * only, so end pools before reading). Less sensitive than wall time to other work on a shared machine.
 */
export function cpuMeter(server: BenchServer): () => CpuSeconds {
  const n0 = process.cpuUsage();
  const p0 = server.pgCpuSeconds();
  return () => {
    const n = process.cpuUsage(n0);
    const node = (n.user + n.system) / 1e6;
    const pg = server.pgCpuSeconds() - p0;
    return { node: Math.round(node * 100) / 100, pg: Math.round(pg * 100) / 100, total: Math.round((node + pg) * 100) / 100 };
  };
}
