// Drive the real CLI in a pseudo-terminal, as a person at a terminal would: util-linux `script`
// gives it a pty (stdin/stdout/stderr are TTYs, it is the foreground process group), and a
// Ctrl-C typed into the pty makes the terminal send SIGINT to that whole process group.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./engine.ts";

export interface PtyRun {
  /** Everything the terminal received so far (raw, with escape sequences). */
  raw(): string;
  /** What a terminal would show now (see `screen`). */
  screen(): string;
  /** Type into the terminal. */
  type(s: string): void;
  /** Ctrl-C, as typed. */
  ctrlC(): void;
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function runInPty(args: string[], env: NodeJS.ProcessEnv): PtyRun {
  const cmd = `exec ${quote(process.execPath)} ${quote(join(ROOT, "bin", "pvpipe.mjs"))} ${args.map(quote).join(" ")}`;
  // -e: exit with the child's code; -f: flush at once; -q: no "Script started" lines.
  const child = spawn("script", ["-qfec", cmd, "/dev/null"], { env: { TERM: "xterm", COLUMNS: "120", LINES: "40", ...env }, cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  const waiters = new Set<() => void>();
  child.stdout.on("data", (d) => {
    out += d;
    for (const w of waiters) w();
  });
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  return {
    raw: () => out,
    screen: () => screen(out),
    type: (s) => child.stdin.write(s),
    ctrlC: () => child.stdin.write("\x03"),
    waitFor(re, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (re.test(out)) {
            waiters.delete(check);
            clearTimeout(t);
            resolve();
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${re} not seen in time; terminal so far:\n${screen(out)}`));
        }, timeoutMs);
        waiters.add(check);
        exited.then(() => {
          if (!re.test(out)) {
            waiters.delete(check);
            clearTimeout(t);
            reject(new Error(`exited before ${re}; terminal:\n${screen(out)}`));
          }
        });
        check();
      });
    },
    exited,
  };
}

/**
 * The lines a terminal shows after receiving `raw`: enough of a terminal for what the CLI writes
 * (carriage return, newline, cursor to column, erase line / to end of line / below, save/restore
 * cursor, cursor up); other escape sequences change nothing visible and are dropped.
 */
export function screen(raw: string): string {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  let saved = { row: 0, col: 0 };
  const line = () => (lines[row] ??= []);
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === "\x1b") {
      if (raw[i + 1] === "7") { saved = { row, col }; i++; continue; }
      if (raw[i + 1] === "8") { ({ row, col } = saved); i++; continue; }
      const m = /^\[([?\d;]*)([A-Za-z])/.exec(raw.slice(i + 1));
      if (!m) continue;
      i += m[0].length;
      const n = Number(m[1].replace("?", "")) || 0;
      switch (m[2]) {
        case "G": col = Math.max(0, (n || 1) - 1); break;
        case "K": if (n === 2) lines[row] = []; else line().length = Math.min(line().length, col); break;
        case "J": line().length = Math.min(line().length, col); lines.length = row + 1; break;
        case "A": row = Math.max(0, row - (n || 1)); break;
        default: break; // colours, cursor visibility, line wrapping
      }
      continue;
    }
    if (ch === "\r") { col = 0; continue; }
    if (ch === "\n") { row++; col = 0; line(); continue; }
    if (ch === "\x07" || ch === "\b") continue;
    line()[col++] = ch;
  }
  return lines.map((l) => Array.from(l, (c) => c ?? " ").join("").trimEnd()).join("\n").replace(/\n+$/, "");
}
