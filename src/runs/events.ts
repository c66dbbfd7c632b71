// The event log of a run (ops.run_events), as Dagster's: what the engine did, step by step.
export type RunEventKind =
  | "run_started"
  | "run_finished"
  | "plan"
  | "step_started"
  | "step_finished"
  | "step_retry"
  | "step_failed"
  | "warning"
  | "cancel_requested"
  | "engine_lost";

export type RunEventLevel = "debug" | "info" | "warn" | "error";

export interface RunEvent {
  run_id: string;
  level: RunEventLevel;
  kind: RunEventKind;
  step?: string | null;
  iteration?: number | null;
  message: string;
  /** Small JSON: counts, partitions, the error's name. Never a secret, never a payload. */
  data?: Record<string, unknown> | null;
  /** When it happened (the engine's clock); when absent, when it is written (the database's). */
  at?: Date;
}

/** A stored event: as written, with its id (for following) and time. */
export interface StoredRunEvent extends Required<Omit<RunEvent, "data">> {
  id: number;
  at: Date;
  data: Record<string, unknown> | null;
}
