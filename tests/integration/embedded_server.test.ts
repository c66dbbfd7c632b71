// The embedded database behaves like a server: one address kept across restarts, shared by every
// pvpipe process that uses it (either may exit first), stopped when the last one ends or by
// `pvpipe db stop`; `pvpipe db-url` says whether it runs. A data dir that cannot hold it fails at once.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli } from "../helpers/cli.ts";
import { embeddedEnv, type EmbeddedEnv } from "../helpers/embedded_env.ts";
import { ROOT } from "../helpers/engine.ts";

let emb: EmbeddedEnv;
beforeAll(async () => {
  emb = await embeddedEnv();
});
afterAll(async () => {
  await emb?.cleanup();
});

const STACK = /\n\s+at .*\.(ts|js|mjs):\d+/;
const postmasterPid = () => (existsSync(join(emb.dataDir, "postmaster.pid")) ? Number(readFileSync(join(emb.dataDir, "postmaster.pid"), "utf8").split("\n")[0]) : null);

/** A pvpipe process that keeps using the server until it is signalled (a query that sleeps). */
function longQuery(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [join(ROOT, "bin", "pvpipe.mjs"), "sql", "select pg_sleep(600)"], { env, cwd: ROOT });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  return { child, exited, output: () => out };
}

/** Wait until `pvpipe db status` lists exactly these pvpipe processes as users of a running server. */
async function usedBy(pids: number[]): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const s = await runCli(["db", "status"], emb.env);
    const m = /running on 127\.0\.0\.1:\d+ \(pid \d+; used by pvpipe process(?:es)? ([\d, ]+)\)/.exec(s.stdout);
    const users = m ? m[1].split(", ").map(Number).sort() : [];
    if (JSON.stringify(users) === JSON.stringify([...pids].sort())) return s.stdout;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server never showed users ${pids.join(", ")}`);
}

describe("the embedded database as a server", () => {
  it("keeps its port across restarts, says whether it runs, starts and stops on request, and takes a data dir of an earlier version", async () => {
    const none = await runCli(["db-url"], emb.env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no embedded database yet in .*postgres: pvpipe start \(or pvpipe db start\) creates it/);

    const first = await runCli(["sql", "create table public.kept (x int); insert into public.kept values (42); select current_setting('port') as port", "--csv"], emb.env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split("\n")).toEqual(["port", String(emb.port)]);
    expect(postmasterPid()).toBeNull(); // the only user left, and stopped it

    const url = await runCli(["db-url"], emb.env);
    expect(url.stdout.trim()).toBe(`postgres://pvpipe:***@127.0.0.1:${emb.port}/pv?sslmode=disable`);
    expect(url.stderr).toMatch(/embedded database: not running/);

    // Without PVPIPE_DB_PORT the data dir keeps the address it had.
    const noPortEnv = cliEnv({ PVPIPE_DATA_DIR: emb.base });
    const again = await runCli(["sql", "select current_setting('port') as port, (select x from public.kept) as x", "--csv"], noPortEnv);
    expect(again.stdout.trim().split("\n")).toEqual(["port,x", `${emb.port},42`]);

    // pvpipe db start keeps it up after the command; db-url and db status say so; db stop stops it.
    const up = await runCli(["db", "start"], noPortEnv);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout.trim()).toBe(`postgres://pvpipe:***@127.0.0.1:${emb.port}/pv?sslmode=disable`);
    const pid = postmasterPid();
    expect(pid).not.toBeNull();
    expect((await runCli(["db-url"], noPortEnv)).stderr).toMatch(new RegExp(`embedded database: running on 127\\.0\\.0\\.1:${emb.port} \\(pid ${pid}; kept up by pvpipe db start\\)`));
    const sessions = await runCli(["sql", "select count(*) as n from public.kept", "--json"], noPortEnv);
    expect(JSON.parse(sessions.stdout)).toEqual([{ n: 1 }]);
    expect(postmasterPid()).toBe(pid); // the pin outlived that command
    const down = await runCli(["db", "stop"], noPortEnv);
    expect(down.stdout).toMatch(/embedded database stopped/);
    expect(postmasterPid()).toBeNull();
    expect((await runCli(["db", "status"], noPortEnv)).stdout).toMatch(/embedded database: not running/);

    // A data dir made by an earlier version has no port in its credentials file: it still works.
    const credFile = join(emb.base, "postgres.credentials.json");
    const cred = JSON.parse(readFileSync(credFile, "utf8"));
    delete cred.port;
    writeFileSync(credFile, JSON.stringify(cred));
    const old = await runCli(["sql", "select x from public.kept", "--csv"], emb.env);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stdout.trim().split("\n")).toEqual(["x", "42"]);
    expect(JSON.parse(readFileSync(credFile, "utf8")).port).toBe(emb.port);
  }, 300_000);

  it("is shared by two pvpipe processes, and either may exit first", async () => {
    // The process that started the server exits first; the other keeps working on it.
    const a = longQuery(emb.env);
    await usedBy([a.child.pid!]);
    const b = longQuery(emb.env);
    const status = await usedBy([a.child.pid!, b.child.pid!]);
    const server = Number(/\(pid (\d+);/.exec(status)![1]);
    a.child.kill("SIGTERM");
    expect(await a.exited, a.output()).toBe(143);
    await usedBy([b.child.pid!]);
    const during = await runCli(["sql", "select 1 as one", "--csv"], emb.env);
    expect(during.stdout.trim().split("\n")).toEqual(["one", "1"]);
    expect(postmasterPid()).toBe(server);
    b.child.kill("SIGINT");
    expect(await b.exited, b.output()).toBe(130);
    for (const p of [a, b]) {
      expect(p.output()).not.toMatch(STACK);
      expect(p.output()).not.toMatch(/CONNECTION_CLOSED|ECONNREFUSED|terminating connection/);
    }
    expect(postmasterPid()).toBeNull(); // the last one out stopped it

    // A process that joined exits first; the one that started the server goes on.
    const c = longQuery(emb.env);
    await usedBy([c.child.pid!]);
    const server2 = postmasterPid();
    const quick = await runCli(["sql", "select 2 as two", "--csv"], emb.env);
    expect(quick.stdout.trim().split("\n")).toEqual(["two", "2"]);
    expect(postmasterPid()).toBe(server2);
    await usedBy([c.child.pid!]);
    c.child.kill("SIGINT");
    expect(await c.exited, c.output()).toBe(130);
    expect(c.output()).not.toMatch(STACK);
    expect(postmasterPid()).toBeNull();
  }, 300_000);

  it("a port another program holds is one line naming PVPIPE_DB_PORT, exit 2", async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, "127.0.0.1", () => r()));
    const port = (holder.address() as { port: number }).port;
    try {
      const other = await embeddedEnv();
      try {
        const r = await runCli(["sql", "select 1"], { ...other.env, PVPIPE_DB_PORT: String(port) });
        expect(r.code).toBe(2);
        expect(r.stderr.trim()).toBe(`pvpipe: the embedded database cannot listen on 127.0.0.1:${port} (PVPIPE_DB_PORT): another program uses that port; set PVPIPE_DB_PORT to a free port`);
      } finally {
        await other.cleanup();
      }
    } finally {
      holder.close();
    }
  }, 120_000);

  it.each([
    ["/proc/x", "/proc/x", /it cannot be created there/],
    ["a file", "FILE", /is a file, not a folder/],
    ["a folder inside a file", "FILE/sub", /is a file, not a folder/],
  ])("a data dir that cannot be created or written (%s) is one line naming it, exit 2, at once", async (_name, dir, reason) => {
    const file = join(emb.base, "not-a-folder");
    writeFileSync(file, "");
    const path = dir.replace("FILE", file);
    // The command once spun at 100 % CPU here; 30 s is a hang detector, not a speed test.
    const r = await runCli(["start", "--once"], cliEnv({ PVPIPE_DATA_DIR: path, PVPIPE_DB_PORT: String(emb.port) }), 30_000);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`PVPIPE_DATA_DIR: cannot keep the database in ${path}`);
    expect(lines[0]).toMatch(reason);
    expect(r.stdout).toBe("");
  });
});
