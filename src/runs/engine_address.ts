// Where an engine runs: enough to tell, from the same machine, that its process is gone.
import { hostname } from "node:os";
import type { EngineAddress } from "./sql/register_engine.ts";

export const thisEngine = (): EngineAddress => ({ host: hostname(), pid: process.pid });

/** Whether a process of this machine exists (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
