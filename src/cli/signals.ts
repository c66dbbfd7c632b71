// Stopping is a normal outcome. The first SIGINT/SIGTERM asks everything to stop cleanly (the
// current step finishes or is abandoned inside its transaction, the run is recorded cancelled);
// a second one stops at once: the runs this process had going are marked cancelled if the
// database answers within a second, and the process exits — in both cases 130 (SIGINT) or 143
// (SIGTERM), and without a stack trace.
import { requestShutdown } from "../../f/lib/runtime/shutdown.ts";

let received: NodeJS.Signals | null = null;
const onHardStop = new Set<() => unknown>();

export const interruptedBy = (): NodeJS.Signals | null => received;
export const exitCodeFor = (s: NodeJS.Signals): number => (s === "SIGTERM" ? 143 : 130);

/** Run `fn` (best effort, at most a second in all) if the process is stopped at once. */
export function beforeHardStop(fn: () => unknown): () => void {
  onHardStop.add(fn);
  return () => onHardStop.delete(fn);
}

export function installSignalHandlers(log: (s: string) => void): void {
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      if (received) {
        void hardStop(sig, log);
        return;
      }
      received = sig;
      log(`stopping: finishing the current step (${sig === "SIGINT" ? "Ctrl-C" : "SIGTERM"} again to stop at once)…`);
      requestShutdown(`stopped by ${sig}`);
    });
  }
}

let stopping = false;
async function hardStop(sig: NodeJS.Signals, log: (s: string) => void): Promise<void> {
  if (stopping) return;
  stopping = true;
  const cleanups = [...onHardStop].map((fn) => Promise.resolve().then(fn).catch(() => undefined));
  await Promise.race([Promise.all(cleanups), new Promise((r) => setTimeout(r, 1000).unref())]);
  log("stopped at once; run the same command again to resume");
  process.exit(exitCodeFor(received ?? sig));
}
