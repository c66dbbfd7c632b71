// The engine's side of a run's record: its event log written in order without holding up the
// steps, its heartbeat, and the stop requests read with each beat (pvpipe cancel from another
// process, or the run closed as lost while this engine was suspended).
import { withDb, type PgResource } from "../../f/lib/db/resource.ts";
import type { RunEvent } from "./events.ts";
import { beat } from "./sql/beat.ts";
import { insertEvents } from "./sql/insert_events.ts";

export interface RunRecorder {
  emit(e: Omit<RunEvent, "run_id">): void;
  /** Set once a heartbeat read a stop request: the engine stops at its next step boundary. */
  readonly stopReason: "cancel_requested" | "not_running" | null;
  /** Wait until every event emitted so far is stored. */
  flush(): Promise<void>;
  /** Stop the heartbeat and store the last events. */
  close(): Promise<void>;
}

export function createRecorder(db: PgResource, runId: string, o: { heartbeatMs: number; onStop?: () => void }): RunRecorder {
  let pending: RunEvent[] = [];
  let writing: Promise<void> = Promise.resolve();
  let stopReason: RunRecorder["stopReason"] = null;
  // An event log that cannot be written must not fail the run: the run record still tells its end.
  const write = () => {
    const batch = pending;
    pending = [];
    writing = writing.then(() => withDb(db, (sql) => insertEvents(sql, batch)).catch(() => undefined));
    return writing;
  };
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    withDb(db, (sql) => beat(sql, runId))
      .then((b) => {
        if (b.stop && !stopReason) {
          stopReason = b.reason;
          o.onStop?.();
        }
      })
      .catch(() => undefined) // a missed beat is no news; the next one may get through
      .finally(() => (beating = false));
  }, o.heartbeatMs);
  timer.unref();
  return {
    emit(e) {
      pending.push({ run_id: runId, ...e });
      if (pending.length === 1) queueMicrotask(() => void (pending.length && write()));
    },
    get stopReason() {
      return stopReason;
    },
    async flush() {
      if (pending.length) await write();
      else await writing;
    },
    async close() {
      clearInterval(timer);
      await this.flush();
    },
  };
}
