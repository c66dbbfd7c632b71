// The local engine's scheduler: the same cron strings and zone as the Windmill schedules, read by
// croner, but timed on the pipeline clock (f/lib/time/clock.ts) so a pinned clock moves the next
// runs too. A schedule never overlaps itself (a firing while its flow still runs is skipped).
import { Cron } from "croner";
import { now } from "../../f/lib/time/clock.ts";
import type { ScheduleDef } from "../../schedules/index.ts";

/** The next firing of a schedule strictly after `after` (default: now on the pipeline clock). */
export function nextRun(s: Pick<ScheduleDef, "cron" | "timezone">, after: Date = now()): Date | null {
  return new Cron(s.cron, { timezone: s.timezone, paused: true }).nextRun(after);
}

/**
 * Fire `run(s)` at each schedule's times until `signal` aborts. Resolves when stopped and every
 * started run has settled.
 */
export async function runSchedules(schedules: ScheduleDef[], run: (s: ScheduleDef) => Promise<unknown>, signal: AbortSignal): Promise<void> {
  const timers = new Set<NodeJS.Timeout>();
  const running = new Map<string, Promise<unknown>>();
  const arm = (s: ScheduleDef) => {
    const next = nextRun(s);
    if (!next || signal.aborted) return;
    // setTimeout caps at ~24.8 days; re-arm in steps for a monthly schedule.
    const wait = Math.min(Math.max(0, next.getTime() - now().getTime()), 2 ** 31 - 1);
    const t = setTimeout(() => {
      timers.delete(t);
      if (signal.aborted) return;
      if (now() >= next && !running.has(s.id)) {
        const p = run(s)
          .catch(() => undefined)
          .finally(() => running.delete(s.id));
        running.set(s.id, p);
      }
      arm(s);
    }, wait + 5);
    timers.add(t);
  };
  for (const s of schedules) arm(s);
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
  for (const t of timers) clearTimeout(t);
  await Promise.all(running.values());
}
