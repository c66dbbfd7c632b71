// Worker thread of bench/lib/kospo_sim_thread.ts: starts the KOSPO simulator and answers its request count.
import { parentPort, workerData } from "node:worker_threads";
import { startKospoSim, type KospoSimUnit } from "../../src/simulators/kospo.ts";

const opts = workerData as { latencyMs: number; units: KospoSimUnit[] };
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
