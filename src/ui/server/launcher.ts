// Launching a flow from the UI: through the local engine in this process, as `pvpipe backfill`
// does; the launch answers once the run is recorded (onRunStarted), the run goes on in the
// background, and the server's close waits for the runs it launched (a stop ends them at their
// next step boundary).
import type { FlowDef } from "../../flow/dsl.ts";
import { runFlow, type EngineOptions } from "../../flow/engine.ts";

export interface Launcher {
  /** Starts the flow; resolves with its run id once recorded, rejects when it could not start. */
  launch(flow: FlowDef, input: Record<string, unknown>): Promise<string>;
  /** Resolves when every run launched here has ended. */
  settle(): Promise<void>;
}

export function createLauncher(engine: () => EngineOptions, log: (line: string) => void): Launcher {
  const running = new Set<Promise<void>>();
  return {
    launch(flow, input) {
      return new Promise<string>((resolve, reject) => {
        let started = false;
        const run: Promise<void> = runFlow(flow, input, {
          ...engine(),
          onRunStarted: (runId) => {
            started = true;
            log(`UI: launched run ${runId} (${flow.id})`);
            resolve(runId);
          },
        })
          .then((r) => log(`UI: run ${r.runId} ${flow.id} ended ${r.status}${r.error ? `: ${r.error.message}` : ""}`))
          .catch((e: unknown) => {
            if (!started) reject(e);
            else log(`UI: a launched ${flow.id} run ended with an error: ${(e as Error).message}`);
          })
          .finally(() => running.delete(run));
        running.add(run);
      });
    },
    async settle() {
      await Promise.all([...running]);
    },
  };
}
