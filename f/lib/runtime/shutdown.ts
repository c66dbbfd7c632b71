// Cooperative shutdown: the local engine raises it on Ctrl-C; long steps check it between
// requests and stop cleanly (Windmill cancels by killing the job, which transactions survive).
import { setMaxListeners } from "node:events";

const controller = new AbortController();
// Every in-flight request listens to it; the default limit of 10 would warn under load.
setMaxListeners(0, controller.signal);

export const shutdownSignal: AbortSignal = controller.signal;

export function requestShutdown(reason = "stopped by the user"): void {
  if (!controller.signal.aborted) controller.abort(new Error(reason));
}
