// What a benchmark child does alike: its arguments from stdin (they include the database password,
// which must not be on the command line), and its memory watched while it works — peaks sampled
// every 50 ms (RSS, heap used, external + array buffers, array buffers, V8's young generation) and a
// timeline every `everyMs`.
import { getHeapSpaceStatistics } from "node:v8";
export async function readChildArgs<T>(): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

export function watchMemory(everyMs: number) {
  const peak = { rss: 0, heap: 0, heapTotal: 0, external: 0, arrayBuffers: 0, young: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
    peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
    peak.external = Math.max(peak.external, m.external + m.arrayBuffers);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
    peak.young = Math.max(peak.young, getHeapSpaceStatistics().find((s) => s.space_name === "new_space")?.space_size ?? 0);
  };
  const timeline: { s: number; rss_mb: number; heap_mb: number; heap_total_mb: number }[] = [];
  const t0 = Date.now();
  const sampler = setInterval(sample, 50);
  const recorder = setInterval(() => {
    const m = process.memoryUsage();
    timeline.push({ s: Math.round((Date.now() - t0) / 1000), rss_mb: Math.round(m.rss / 2 ** 20), heap_mb: Math.round(m.heapUsed / 2 ** 20), heap_total_mb: Math.round(m.heapTotal / 2 ** 20) });
  }, everyMs);
  return {
    peak,
    timeline,
    stop() {
      clearInterval(sampler);
      clearInterval(recorder);
      sample();
    },
  };
}
