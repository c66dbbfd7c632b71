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

/**
 * How long an event may wait for others to be written with it. Each step emits two events; written
 * one insert each, a year's backfill of 372 chunks made ~3,000 inserts (a round trip and a
 * statement each, ~1 CPU-second of the engine and the database). Events keep the time they were
 * emitted at, so waiting changes no time shown.
 */
export const EVENT_BATCH_MS = 200;

export function createRecorder(db: PgResource, runId: string, o: { heartbeatMs: number; onStop?: () => void }): RunRecorder {
  let pending: RunEvent[] = [];
  let writing: Promise<void> = Promise.resolve();
  let batchTimer: ReturnType<typeof setTimeout> | null = null;
  let stopReason: RunRecorder["stopReason"] = null;
  // An event log that cannot be written must not fail the run: the run record still tells its end.
  const write = () => {
    if (batchTimer) clearTimeout(batchTimer);
    batchTimer = null;
    const batch = pending;
    pending = [];
    if (batch.length) writing = writing.then(() => withDb(db, (sql) => insertEvents(sql, batch)).catch(() => undefined));
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
      pending.push({ run_id: runId, at: new Date(), ...e });
      if (!batchTimer) {
        batchTimer = setTimeout(() => void write(), EVENT_BATCH_MS);
        batchTimer.unref();
      }
    },
    get stopReason() {
      return stopReason;
    },
    async flush() {
      await write();
    },
    async close() {
      clearInterval(timer);
      await this.flush();
    },
  };
}
