// The local UI over HTTP, without a browser: `pvpipe ui` answers every page and never shows a
// secret; bad parameters and form fields are a clear 4xx with nothing written; state-changing
// requests need this origin and this start's token, and hosts other than the loopback are refused;
// `pvpipe start` serves the UI and prints its URL, and a taken port is one line, not a failure.
import { request as httpRequest } from "node:http";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, monthStart, yesterdayKst } from "../../f/lib/time/kst.ts";
import { freePort } from "../../src/db/embedded.ts";
import { cliEnv, pgUrl, runCli, startCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { embeddedEnv } from "../helpers/embedded_env.ts";
import { expectEvery } from "../helpers/expect_every.ts";
import { DEFAULT_SIM_KEY, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";

const END = yesterdayKst();
const SLACK_SECRET = "sim-ui-test-slack-token-0123456789"; // made up; not shaped like a real xoxb- token

let db: TestDb;
let sim: KospoSim;
let ui: Awaited<ReturnType<typeof startCli>>;
let port: number;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to the UI with exactly these headers (node:http, so Host and Origin are as given). */
function call(method: string, path: string, o: { headers?: Record<string, string>; form?: Record<string, string | string[]> } = {}): Promise<Answer> {
  const body = o.form
    ? new URLSearchParams(Object.entries(o.form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString()
    : undefined;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, method, path, headers: { host: `127.0.0.1:${port}`, ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}), ...o.headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

const tokenOf = (page: string) => /name="_token" value="([^"]+)"/.exec(page)?.[1] ?? "";

beforeAll(async () => {
  db = await createTestDb();
  sim = await startKospoSim();
  const env = cliEnv({ DATABASE_URL: pgUrl(db.resource), NAMBU_API_KEY: DEFAULT_SIM_KEY, KOSPO_API_URL: sim.url, SLACK_BOT_TOKEN: SLACK_SECRET, SLACK_CHANNEL: "#none" });
  const kospo = await runCli(["backfill", "--source", "kospo", "--start", addDays(END, -1), "--end", END, "--gencd", "997N"], env);
  expect(kospo.code, kospo.stderr).toBe(0);
  const lastMonth = monthStart(addDays(monthStart(END), -1));
  const koen = await runCli(["backfill", "--source", "koen", "--start", lastMonth, "--end", addDays(monthStart(END), -1)], env);
  expect(koen.code, koen.stderr).toBe(0);
  ui = await startCli(["ui", "--ui-port", "0"], env, /UI: http:\/\/127\.0\.0\.1:\d+\//);
  port = Number(/UI: http:\/\/127\.0\.0\.1:(\d+)\//.exec(ui.output())![1]);
});

afterAll(async () => {
  ui?.child.kill("SIGINT");
  await ui?.exited;
  await sim?.close();
  await db?.drop();
});

describe("pvpipe ui over HTTP", () => {
  it("answers every page, and no page shows the database password or an API key or token", async () => {
    const [run] = await db.sql<{ run_id: string }[]>`select run_id from ops.runs where flow = 'backfill' order by started_at limit 1`;
    const [koenFile] = await db.sql<{ id: number; partition: string }[]>`select id::int as id, partition from raw.koen_files where body is not null limit 1`;
    const partition = `${END}|997N-1`;
    const pages = [
      "/assets",
      ...["kospo/raw", "kospo/hourly", "asos/raw", "asos/hourly", "koen/raw", "koen/hourly"].map((k) => `/asset?key=${encodeURIComponent(k)}`),
      `/asset?key=kospo%2Fhourly&end=${addDays(END, -40)}&span=10`,
      `/partition?asset=kospo%2Fhourly&key=${encodeURIComponent(partition)}`,
      `/partition?asset=koen%2Fhourly&key=${koenFile.partition}`,
      `/raw?asset=kospo%2Fraw&key=${encodeURIComponent(partition)}`,
      `/raw?asset=koen%2Fraw&key=${koenFile.partition}`,
      "/runs",
      "/runs?status=success&flow=backfill&limit=5",
      `/runs/${run.run_id}`,
      `/runs/${run.run_id.slice(0, 8)}`,
      "/launch",
      `/launch?source=kospo&start=${addDays(END, -3)}&end=${END}&plant=997N&unit=1&policy=missing%2Bfailed&parallelism=2`,
      `/launch?source=asos&start=${END}&end=${END}&stations=108&stations=159&policy=all`,
      "/health",
      `/health?day=${addDays(END, -1)}`,
      "/health/plant?id=kospo%3A997N-1",
      "/static/ui.css",
      "/static/run_log.js",
    ];
    const secrets = [db.resource.password, encodeURIComponent(db.resource.password), DEFAULT_SIM_KEY, encodeURIComponent(DEFAULT_SIM_KEY), SLACK_SECRET];
    const answers = await Promise.all(pages.map(async (p) => ({ p, a: await call("GET", p) })));
    expect(answers.filter(({ a }) => a.status !== 200).map(({ p, a }) => `${p}: ${a.status} ${a.body.slice(0, 300)}`)).toEqual([]);
    expectEvery(answers, ({ a }) => secrets.every((s) => !a.body.includes(s)));
    // Every answer carries the security headers.
    expectEvery(answers, ({ a }) => String(a.headers["content-security-policy"]).includes("script-src 'self'") && a.headers["x-frame-options"] === "DENY");
    // The raw KOEN file is the exact stored bytes.
    const file = await call("GET", `/raw/file?id=${koenFile.id}`);
    expect(file.status).toBe(200);
    expect(file.headers["content-disposition"]).toBe(`attachment; filename="koen-${koenFile.partition}.csv"`);
    const [{ bytes }] = await db.sql<{ bytes: number }[]>`select byte_length as bytes from raw.koen_files where id = ${koenFile.id}`;
    expect(Number(file.headers["content-length"] ?? Buffer.byteLength(file.body, "latin1"))).toBe(bytes);
  });

  it("bad parameters and form fields are a clear 4xx naming the field, and nothing is written", async () => {
    const [{ before }] = await db.sql<{ before: number }[]>`select count(*)::int as before from ops.runs`;
    const cases: [string, number, RegExp][] = [
      ["/asset?key=nope%2Fasset", 404, /no asset &quot;nope\/asset&quot; \(assets: kospo\/raw, kospo\/hourly/],
      ["/asset?key=kospo%2Fhourly%27%3B%20drop%20table%20ops.runs%3B--", 404, /no asset/],
      ["/asset?key=kospo%2Fhourly&end=2026-13-01", 400, /end: /],
      ["/asset?key=kospo%2Fhourly&span=9999", 400, /span: must be at most 366/],
      ["/partition?asset=kospo%2Fhourly&key=garbage", 400, /key: &quot;garbage&quot; is not a partition key of kospo\/hourly/],
      ["/partition?asset=kospo%2Fhourly", 400, /key: give a partition key/],
      ["/raw?asset=kospo%2Fhourly&key=2026-12-01%7C997N-1", 400, /kospo\/hourly keeps no raw payloads/],
      ["/raw/file?id=abc", 400, /id: must be a stored file id/],
      ["/runs?status=bogus", 400, /status: /],
      ["/runs/zz", 400, /give a run id/],
      ["/runs/00000000-0000-0000-0000-000000000000", 404, /no run/],
      ["/health?day=yesterday", 400, /day: /],
      ["/health/plant?id=bogus", 400, /id: a plant id starts with kospo: or koen:/],
      ["/health/plant?id=kospo%3ANOPE-9", 404, /no plant unit &quot;kospo:NOPE-9&quot;/],
      ["/no/such/page", 404, /no page at \/no\/such\/page/],
      [`/launch?source=kospo&start=${END}&end=${addDays(END, -3)}`, 400, new RegExp(`start: start ${END} is after end ${addDays(END, -3)}`)],
      [`/launch?source=kospo&start=${END}&end=${addDays(END, 1)}`, 400, /end: end .* is later than yesterday/],
      [`/launch?source=kospo&start=${END}&end=${END}&plant=NOPE`, 400, /plant: /],
      [`/launch?source=kospo&start=${END}&end=${END}&plant=997N&unit=7`, 400, /unit: KOSPO plant 997N has no unit 7/],
      [`/launch?source=asos&start=${END}&end=${END}&plant=997N`, 400, /plant: applies to source kospo only/],
      [`/launch?source=asos&start=${END}&end=${END}&stations=1%3Bdrop`, 400, /stations/],
      [`/launch?source=kospo&start=${END}&end=${END}&parallelism=99`, 400, /parallelism: /],
      [`/launch?source=sql%27--&start=${END}&end=${END}`, 400, /source: /],
    ];
    const got = await Promise.all(cases.map(async ([path, status, message]) => ({ path, status, message, a: await call("GET", path) })));
    expect(got.filter((g) => g.a.status !== g.status || !g.message.test(g.a.body)).map((g) => `${g.path}: ${g.a.status} ${/<p class="error-message"[^>]*>([^<]*)|data-form-error>([^<]*)/.exec(g.a.body)?.slice(1).join("") ?? g.a.body.slice(0, 200)}`)).toEqual([]);
    // A bad launch form posted with a valid token is refused the same way.
    const token = tokenOf((await call("GET", `/launch?source=kospo&start=${END}&end=${END}&plant=997N`)).body);
    const bad = await call("POST", "/launch", { headers: { origin: `http://127.0.0.1:${port}` }, form: { _token: token, source: "kospo", start: END, end: addDays(END, 5), plant: "997N" } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/end: end .* is later than yesterday/);
    const [{ after }] = await db.sql<{ after: number }[]>`select count(*)::int as after from ops.runs`;
    expect(after).toBe(before);
  });

  it("launch and cancel need this origin and this start's token; other hosts are refused", async () => {
    const preview = (await call("GET", `/launch?source=kospo&start=${END}&end=${END}&plant=997N&unit=1&policy=all`)).body;
    const token = tokenOf(preview);
    expect(token.length).toBeGreaterThanOrEqual(32);
    const form = { _token: token, source: "kospo", start: END, end: END, plant: "997N", unit: "1", policy: "all", parallelism: "1" };
    const own = `http://127.0.0.1:${port}`;
    const [{ before }] = await db.sql<{ before: number }[]>`select count(*)::int as before from ops.runs`;
    const refused = await Promise.all([
      call("POST", "/launch", { form: { ...form } }), // no Origin, no Referer, no Sec-Fetch-Site
      call("POST", "/launch", { headers: { origin: "http://evil.example" }, form }),
      call("POST", "/launch", { headers: { origin: "null" }, form }),
      call("POST", "/launch", { headers: { "sec-fetch-site": "cross-site" }, form }),
      call("POST", "/launch", { headers: { origin: own }, form: { ...form, _token: "x".repeat(token.length) } }),
      call("POST", "/launch", { headers: { origin: own }, form: { ...form, _token: "" } }),
      call("POST", "/runs/00000000/cancel", { headers: { origin: own }, form: { _token: "nope" } }),
    ]);
    expect(refused.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 403, 403]);
    expectEvery(refused, (a) => /refused: /.test(a.body));
    // DNS rebinding: a name other than the loopback's, even on this port, is refused before anything runs.
    const rebound = await Promise.all([
      call("GET", "/assets", { headers: { host: `evil.example:${port}` } }),
      call("POST", "/launch", { headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}` }, form }),
      call("GET", "/assets", { headers: { host: `127.0.0.1:${port + 1}` } }),
    ]);
    expect(rebound.map((a) => a.status)).toEqual([421, 421, 421]);
    const [{ after }] = await db.sql<{ after: number }[]>`select count(*)::int as after from ops.runs`;
    expect(after).toBe(before);

    // The same form from this origin with this token starts the run and opens its page.
    const ok = await call("POST", "/launch", { headers: { origin: own }, form });
    expect(ok.status, ok.body.slice(0, 300)).toBe(303);
    const runId = /^\/runs\/([0-9a-f-]{36})$/.exec(String(ok.headers.location))?.[1];
    expect(runId).toBeDefined();
    const [launched] = await db.sql<{ flow: string; inputs: Record<string, unknown> }[]>`select flow, inputs from ops.runs where run_id = ${runId!}`;
    expect(launched.flow).toBe("backfill");
    expect(launched.inputs).toMatchObject({ source: "kospo", start: END, end: END, plant: "997N", unit: 1, policy: "all", parallelism: 1 });
    // Cancel with the token: requested, or refused as not running if the one-day run has already ended.
    const cancel = await call("POST", `/runs/${runId}/cancel`, { headers: { referer: `${own}/runs/${runId}` }, form: { _token: token } });
    expect(cancel.status).toBe(303);
    expect(String(cancel.headers.location)).toMatch(new RegExp(`^/runs/${runId}\\?cancel=(requested|not_running)$`));
    for (let i = 0; i < 300; i++) {
      const [r] = await db.sql<{ status: string }[]>`select status from ops.runs where run_id = ${runId!}`;
      if (r.status !== "running") break;
      await new Promise((res) => setTimeout(res, 200));
    }
    const [ended] = await db.sql<{ status: string }[]>`select status from ops.runs where run_id = ${runId!}`;
    expect(["success", "cancelled"]).toContain(ended.status);
  });
});

describe("the UI's port", () => {
  let held: Server;
  let heldPort: number;
  let emb: Awaited<ReturnType<typeof embeddedEnv>>;
  beforeAll(async () => {
    emb = await embeddedEnv();
    held = createServer();
    await new Promise<void>((r) => held.listen(0, "127.0.0.1", () => r()));
    heldPort = (held.address() as { port: number }).port;
  });
  afterAll(async () => {
    held?.close();
    await emb?.cleanup();
  });

  it("a bad --ui-port or PVPIPE_UI_PORT is a usage error naming it, before anything starts", async () => {
    const flag = await runCli(["ui", "--ui-port", "99999"], emb.env);
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim()).toBe('pvpipe: --ui-port must be from 0 to 65535 (got "99999")');
    const env = await runCli(["start"], { ...emb.env, PVPIPE_UI_PORT: "web" });
    expect(env.code).toBe(2);
    expect(env.stderr.trim()).toBe('pvpipe: PVPIPE_UI_PORT must be a port number (got "web")');
  });

  it("pvpipe start prints the UI's URL and serves it; a taken port is one line and the pipeline goes on", async () => {
    const taken = await startCli(["start"], { ...emb.env, PVPIPE_UI_PORT: String(heldPort) }, /catch-up: /);
    expect(taken.output()).toContain(`UI not started: cannot serve the UI on 127.0.0.1:${heldPort}: the port is in use (choose another with --ui-port or PVPIPE_UI_PORT, or --no-ui)`);
    taken.child.kill("SIGINT");
    expect(await taken.exited).toBe(130);

    const uiPort = await freePort();
    const served = await startCli(["start", "--ui-port", String(uiPort)], emb.env, /UI: http:\/\/127\.0\.0\.1:\d+\//);
    expect(served.output()).toContain(`UI: http://127.0.0.1:${uiPort}/`);
    const res = await fetch(`http://127.0.0.1:${uiPort}/assets`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-asset="kospo/hourly"');
    served.child.kill("SIGINT");
    expect(await served.exited).toBe(130);

    const quiet = await startCli(["start", "--no-ui"], emb.env, /catch-up: /);
    expect(quiet.output()).not.toMatch(/UI/);
    quiet.child.kill("SIGINT");
    expect(await quiet.exited).toBe(130);
  });
});
