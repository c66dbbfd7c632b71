// What every route of the UI reads: its database pool, the asset catalog, how dimension keys are
// resolved, this start's token, the launcher (absent: launching is off), and a stop signal that
// ends live streams when the server closes.
import type { AssetDef } from "../../../f/lib/assets/graph.ts";
import type { Pool } from "../../../f/lib/db/resource.ts";
import type { DimKey } from "../../../f/lib/store/partition_states.ts";
import type { Launcher } from "./launcher.ts";

export interface UiContext {
  sql: Pool;
  assets: readonly AssetDef[];
  dimKeys(asset: AssetDef): Promise<DimKey[] | null>;
  token: string;
  launcher: Launcher | null;
  stop: AbortSignal;
  log: (line: string) => void;
  /** Replaces every known secret (database password, API keys) in a text shown to a person. */
  redact: (text: string) => string;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
