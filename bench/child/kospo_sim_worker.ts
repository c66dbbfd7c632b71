// Worker thread of bench/lib/kospo_sim_thread.ts: starts the KOSPO simulator and answers its request count.
import { parentPort, workerData } from "node:worker_threads";
import { startKospoSim, warmKospoSim, type KospoSimUnit } from "../../src/simulators/kospo.ts";

const opts = workerData as { latencyMs: number; units: KospoSimUnit[]; warm?: { start: string; end: string } };
// The values a remote service would read from its storage, computed before the measured run.
if (opts.warm) warmKospoSim(opts.units, opts.warm.start, opts.warm.end);
const sim = await startKospoSim({ latencyMs: opts.latencyMs, units: opts.units });
parentPort!.on("message", async (m: { id?: number; close?: boolean }) => {
  if (m.close) {
    await sim.close();
    parentPort!.close();
    return;
  }
  parentPort!.postMessage({ id: m.id, requests: sim.requests });
});
parentPort!.postMessage({ url: sim.url });
