// `--start/--end` left out: on a terminal they are asked for and validated (as the earlier tool
// did); elsewhere it is a usage error naming them, exit 2.
import { createInterface } from "node:readline/promises";
import { isoDate, yesterdayKst } from "../../f/lib/time/kst.ts";
import { UsageError } from "../config/errors.ts";
import { FlowStopped } from "../flow/engine.ts";

export async function askMissingDates(o: { start?: string; end?: string }): Promise<{ start: string; end: string }> {
  if (o.start && o.end) return { start: o.start, end: o.end };
  const missing = [!o.start && "--start", !o.end && "--end"].filter(Boolean).join(" and ");
  if (!process.stdin.isTTY || !process.stderr.isTTY) throw new UsageError(`${missing} ${missing.includes(" and ") ? "are" : "is"} required (YYYY-MM-DD, KST)`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // Ctrl-C at a prompt stops the command like anywhere else (readline takes it from the terminal).
  const interrupted = new Promise<never>((_, reject) =>
    rl.once("SIGINT", () => {
      process.stderr.write("\n");
      process.emit("SIGINT", "SIGINT");
      reject(new FlowStopped("signal"));
    }),
  );
  interrupted.catch(() => {});
  const ask = async (label: string, fallback: string | undefined, check: (d: string) => string | null): Promise<string> => {
    for (;;) {
      const answer = (await Promise.race([rl.question(`${label}${fallback ? ` [${fallback}]` : ""}: `), interrupted])).trim() || fallback || "";
      const r = isoDate.safeParse(answer);
      const problem = !r.success ? `${answer ? JSON.stringify(answer) : "nothing"}: ${r.error.issues[0].message}` : check(r.data);
      if (!problem) return r.data!;
      process.stderr.write(`  ${problem}\n`);
    }
  };
  try {
    const yesterday = yesterdayKst();
    const start = o.start ?? (await ask("first day (YYYY-MM-DD, KST)", undefined, (d) => (d > yesterday ? `${d} is later than yesterday (${yesterday} KST)` : null)));
    const end = o.end ?? (await ask("last day (YYYY-MM-DD, KST)", yesterday, (d) => (d < start ? `${d} is before the first day ${start}` : d > yesterday ? `${d} is later than yesterday (${yesterday} KST); sources publish up to yesterday` : null)));
    return { start, end };
  } finally {
    rl.close();
  }
}
