// Progress for long runs: a bar on a terminal, plain lines otherwise, nothing with --json. The
// bar shows no estimate before the first chunk is done, and leaves nothing behind when it stops
// (log lines written while it runs go above it).
import cliProgress from "cli-progress";
import type { StepEvent } from "../flow/engine.ts";
import { setActiveBar } from "./terminal.ts";

export interface Progress {
  onEvent(e: StepEvent): void;
  /** Partitions the plan selected (null before the plan step), and of which asset. */
  planned(): number | null;
  plannedAsset(): string | null;
  stop(): void;
}

export function createProgress(mode: { json: boolean; tty: boolean; debug: boolean }, log: (s: string) => void): Progress {
  let bars: cliProgress.MultiBar | null = null;
  let bar: cliProgress.SingleBar | null = null;
  let asset: string | null = null;
  let total = 0;
  let done = 0;
  let partitions: number | null = null;
  const chunkDone = (e: StepEvent) => e.type === "end" && /ingest$/.test(e.step);
  const stop = () => {
    if (!bars) return;
    setActiveBar(null);
    bars.update(); // lines logged since the last frame go out first
    bars.stop();
    bars = bar = null;
  };
  return {
    onEvent(e) {
      if (e.type === "end" && e.step === "plan") {
        partitions = (e.result as { partitions?: number } | null)?.partitions ?? null;
        asset = (e.result as { asset?: string } | null)?.asset ?? null;
      }
      if (mode.json) return;
      if (e.type === "end" && e.step === "plan") {
        const plan = e.result as { partitions: number; chunks: unknown[]; source: string; start: string; end: string };
        total = plan.chunks.length;
        log(`plan: ${plan.source} ${plan.start}..${plan.end}: ${plan.partitions} partitions in ${total} chunks`);
        if (mode.tty && total > 0) {
          // A MultiBar, though with one bar: it prints log lines above the bar (a SingleBar
          // restores its saved cursor on stop and wipes whatever was logged meanwhile).
          bars = new cliProgress.MultiBar(
            {
              // An estimate needs one finished chunk; before it there is none to show.
              format: (options, params, payload) =>
                cliProgress.Format.Formatter({ ...options, format: params.value > 0 ? "  {bar} {value}/{total} chunks | {eta_formatted} left" : "  {bar} {value}/{total} chunks | estimating…" }, params, payload),
              hideCursor: true,
              clearOnComplete: true,
              stopOnComplete: false,
              gracefulExit: false, // signals are ours (src/cli/signals.ts)
            },
            cliProgress.Presets.shades_classic,
          );
          bar = bars.create(total, 0);
          setActiveBar(bars);
        }
        return;
      }
      if (chunkDone(e)) {
        done++;
        const r = e.result as { unit?: string; success?: number; empty?: number; failed?: number; inserted?: number; updated?: number };
        if (bar) bar.increment();
        else log(`  [${done}/${total}] ${r.unit ?? ""}: ${r.success ?? 0} ok, ${r.empty ?? 0} empty, ${r.failed ?? 0} failed; ${r.inserted ?? 0} rows inserted, ${r.updated ?? 0} updated`);
        return;
      }
      if (e.type === "retry") log(`  retrying ${e.step}: ${e.error?.message}`);
      if (mode.debug && e.type === "end") log(`  ${e.step}${e.iteration !== undefined ? `[${e.iteration}]` : ""} → ${JSON.stringify(e.result).slice(0, 300)}`);
    },
    planned: () => partitions,
    plannedAsset: () => asset,
    stop,
  };
}
