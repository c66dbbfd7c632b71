// The KOSPO simulator in a worker thread of the benchmark process: a remote service's work (its
// values, its XML) is not the engine's event loop, whose single thread the backfill's own work
// shares with postgres.js and the steps. Its CPU still counts in the process's CPU time (all
// threads). Only serializable options (latency, units, the days to warm before it listens); the
// counts are read with `requests()`.
import { Worker } from "node:worker_threads";
import type { KospoSimUnit } from "../../src/simulators/kospo.ts";

export interface KospoSimThread {
  url: string;
  /** Requests the simulator received so far. */
  requests(): Promise<number>;
  close(): Promise<void>;
}

/** `warm`: the days whose values the simulator computes before it listens (warmKospoSim). */
export async function startKospoSimThread(opts: { latencyMs: number; units: KospoSimUnit[]; warm?: { start: string; end: string } }): Promise<KospoSimThread> {
  // A worker does not inherit tsx's loader: it registers it, then loads the TypeScript entry.
  const entry = new URL("../child/kospo_sim_worker.ts", import.meta.url).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: opts });
  const replies = new Map<number, (v: number) => void>();
  let next = 0;
  const url = await new Promise<string>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (m: { url: string }) => resolve(m.url));
  });
  worker.on("message", (m: { id?: number; requests?: number }) => {
    if (m.id !== undefined) replies.get(m.id)?.(m.requests ?? 0);
  });
  return {
    url,
    requests: () =>
      new Promise<number>((resolve) => {
        const id = next++;
        replies.set(id, resolve);
        worker.postMessage({ id });
      }),
    close: async () => {
      worker.postMessage({ close: true });
      await new Promise((r) => worker.once("exit", r));
    },
  };
}
