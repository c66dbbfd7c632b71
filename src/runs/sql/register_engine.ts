// Mark a running run with the engine that runs it (host, pid) and its first heartbeat, so a run
// whose engine is gone can be told from one that is only slow.
import type { Sql } from "../../../f/lib/db/resource.ts";

export interface EngineAddress {
  host: string;
  pid: number;
}

export async function registerEngine(sql: Sql, runId: string, engine: EngineAddress): Promise<void> {
  await sql`
    update ops.runs set engine_host = ${engine.host}, engine_pid = ${engine.pid}, heartbeat_at = now()
    where run_id = ${runId}
  `;
}
