// Close the runs whose engine is gone (killed, machine restarted) as `failed` with "engine lost",
// so no run stays `running` forever. Called by every engine start and by `pvpipe runs`.
// A run is lost when its engine ran on this host and that process no longer exists, or when its
// heartbeat is older than `staleSeconds` (any host), or when it never had one (a run recorded by
// a version without heartbeats). Its partition locks are transaction-scoped advisory locks: the
// server released them when the engine's connections closed. Heartbeats are real time (now()):
// liveness is not a calendar question; run times follow the pipeline clock (ops.clock_now()).
import type { Sql } from "../../../f/lib/db/resource.ts";

export interface LostRun {
  run_id: string;
  flow: string;
}

/** Engines of running local runs on `host`: the caller checks which of these pids still exist. */
export async function runningEnginePids(sql: Sql, host: string): Promise<number[]> {
  const rows = await sql<{ pid: number }[]>`
    select distinct engine_pid as pid from ops.runs
    where status = 'running' and engine = 'local' and engine_host = ${host} and engine_pid is not null`;
  return rows.map((r) => r.pid);
}

export async function reapLostRuns(sql: Sql, o: { host: string; deadPids: number[]; staleSeconds: number }): Promise<LostRun[]> {
  return sql<LostRun[]>`
    with lost as (
      update ops.runs r set status = 'failed', finished_at = ops.clock_now(),
        error = 'engine lost: ' || case
          when r.engine_host = ${o.host} and r.engine_pid = any(${o.deadPids}::int[])
            then format('process %s on %s is gone', r.engine_pid, r.engine_host)
          when r.heartbeat_at is null then 'the run never reported a heartbeat'
          else format('no heartbeat since %s', to_char(r.heartbeat_at at time zone 'Asia/Seoul', 'YYYY-MM-DD HH24:MI:SS "KST"'))
        end
      where r.status = 'running' and r.engine = 'local'
        and ((r.engine_host = ${o.host} and r.engine_pid = any(${o.deadPids}::int[]))
          or r.heartbeat_at < now() - make_interval(secs => ${o.staleSeconds})
          or (r.heartbeat_at is null and r.engine_pid is null and r.started_at < ops.clock_now() - make_interval(secs => ${o.staleSeconds})))
      returning r.run_id, r.flow, r.error
    ), logged as (
      insert into ops.run_events (run_id, level, kind, message)
      select run_id, 'error', 'engine_lost', error || '; the run is closed as failed (resume: run the same command again)' from lost
    )
    select run_id, flow from lost order by run_id
  `;
}
