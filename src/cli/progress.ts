// Progress for long runs: a bar on a terminal, plain lines otherwise, nothing with --json.
import cliProgress from "cli-progress";
import type { StepEvent } from "../flow/engine.ts";

export interface Progress {
  onEvent(e: StepEvent): void;
  stop(): void;
}

export function createProgress(mode: { json: boolean; tty: boolean; debug: boolean }, log: (s: string) => void): Progress {
  let bar: cliProgress.SingleBar | null = null;
  let total = 0;
  let done = 0;
  const chunkDone = (e: StepEvent) => e.type === "end" && /ingest$/.test(e.step);
  return {
    onEvent(e) {
      if (mode.json) return;
      if (e.type === "end" && e.step === "plan") {
        const plan = e.result as { partitions: number; chunks: unknown[]; source: string; start: string; end: string };
        total = plan.chunks.length;
        log(`plan: ${plan.source} ${plan.start}..${plan.end}: ${plan.partitions} partitions in ${total} chunks`);
        if (mode.tty && total > 0) {
          bar = new cliProgress.SingleBar(
            { format: "  {bar} {value}/{total} chunks | {eta_formatted} left", hideCursor: true, clearOnComplete: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, 0);
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
    stop() {
      bar?.stop();
    },
  };
}
