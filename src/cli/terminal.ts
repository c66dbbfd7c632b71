// Lines written to stderr while a progress bar is drawn there go above the bar (the bar's own
// log), so no half-drawn bar is left in the scrollback.
import type cliProgress from "cli-progress";

let active: cliProgress.MultiBar | null = null;

export function setActiveBar(bars: cliProgress.MultiBar | null): void {
  active = bars;
}

export function writeLine(line: string): void {
  if (active) active.log(`${line}\n`);
  else process.stderr.write(`${line}\n`);
}

/** Stop a bar at once (a second Ctrl-C): clear it and give the cursor back. */
export function clearActiveBar(): void {
  if (!active) return;
  const bars = active;
  active = null;
  bars.update();
  bars.stop();
}
