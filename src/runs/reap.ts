// Close the runs whose engine is gone: the pids of this host are checked here, the rest is one
// statement (sql/reap_lost_runs.ts).
import type { Sql } from "../../f/lib/db/resource.ts";
import { processAlive, thisEngine } from "./engine_address.ts";
import { reapLostRuns, runningEnginePids, type LostRun } from "./sql/reap_lost_runs.ts";

/** A heartbeat older than this means the engine is gone (it beats every few seconds). */
export const STALE_HEARTBEAT_S = 60;

export async function closeLostRuns(sql: Sql): Promise<LostRun[]> {
  const { host } = thisEngine();
  const deadPids = (await runningEnginePids(sql, host)).filter((pid) => !processAlive(pid));
  return reapLostRuns(sql, { host, deadPids, staleSeconds: STALE_HEARTBEAT_S });
}
