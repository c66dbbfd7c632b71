// A benchmark child process (bench/child/*.ts): its arguments on stdin (they may hold the database
// password, which must not be on the command line), its one JSON result line on stdout, and — when
// GNU time is there — its peak RSS and CPU seconds as the kernel counted them.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { round } from "./report.ts";

const TIME = "/usr/bin/time";

export interface ChildMeasure {
  /** Peak RSS by `time -v`, MB; null without GNU time. */
  maxRssMb: number | null;
  /** User + system CPU seconds by `time -v`; null without GNU time. */
  cpuS: number | null;
}

/** `nodeFlags`: V8/node options the child starts with (e.g. the CLI's own, src/config/node_flags.ts). */
export function runBenchChild<R>(root: string, child: string, args: Record<string, unknown>, nodeFlags: readonly string[] = []): Promise<{ result: R; time: ChildMeasure }> {
  const node = [process.execPath, ...nodeFlags, "--import", "tsx", child];
  const [cmd, ...argv] = existsSync(TIME) ? [TIME, "-v", ...node] : node;
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv, { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
    p.stdin.end(JSON.stringify(args));
    let out = "";
    let err = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (err += d.toString()));
    p.on("error", reject);
    p.on("close", (code) => {
      const line = out.trim().split("\n").filter((l) => l.startsWith("{")).pop();
      if (!line) return reject(new Error(`${child} exited ${code} without a result:\n${err.slice(-2000)}`));
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      const user = /User time \(seconds\): ([\d.]+)/.exec(err);
      const sys = /System time \(seconds\): ([\d.]+)/.exec(err);
      const result: R = JSON.parse(line);
      resolve({ result, time: { maxRssMb: m ? round(Number(m[1]) / 1024, 1) : null, cpuS: user && sys ? round(Number(user[1]) + Number(sys[1]), 1) : null } });
    });
  });
}
