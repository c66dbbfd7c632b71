// `pvpipe backfill --engine windmill` against a local stub of the Windmill API: the requests are
// the documented ones (POST /api/w/{ws}/jobs/run/f/{path} with the flow input as JSON body and a
// Bearer token; GET /api/w/{ws}/jobs_u/get/{id}; GET /api/w/{ws}/jobs/result_by_id/{id}/report),
// the job id and its UI URL are printed, --wait follows the job to its end, and the token is never
// printed.
import { BACKFILL_PARALLELISM } from "../../flows/inputs.ts";
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { backfill } from "../../flows/backfill.ts";
import { jobUrl, runOnWindmill, windmillTarget } from "../../src/cli/commands/windmill_run.ts";
import { readEnv } from "../../src/config/env.ts";
import { ROOT } from "./wmill_tools.ts";
import { expectEvery } from "../helpers/expect_every.ts";

// Spawns tools and runs flows: a loaded machine can be slow (each takes seconds otherwise).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const TOKEN = "wm-tok-SECRET-123";
const WS = "pv";
const JOB = "0192f3a4-5b6c-7d8e-9f01-23456789abcd";

interface Seen {
  method: string;
  path: string;
  query: string;
  auth?: string;
  contentType?: string;
  body?: unknown;
}

const REPORT = {
  run_id: JOB,
  status: "success",
  failed_total: 0,
  assets: [{ asset: "kospo/hourly", success: 3, empty: 0, failed: 0, rows: 72 }],
  failures: [],
};

let server: Server;
let base: string;
const seen: Seen[] = [];
let polls = 0;
let mode: "success" | "failure" | "unauthorized" = "success";
let dropNextPoll = 0;

async function body(req: IncomingMessage): Promise<string> {
  let s = "";
  for await (const c of req) s += c;
  return s;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url!, "http://stub");
    const raw = await body(req);
    seen.push({
      method: req.method!,
      path: url.pathname,
      query: url.search,
      auth: req.headers.authorization,
      contentType: req.headers["content-type"],
      body: raw ? JSON.parse(raw) : undefined,
    });
    const json = (status: number, v: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(v));
    if (req.headers.authorization !== `Bearer ${TOKEN}` || mode === "unauthorized") return res.writeHead(401, { "content-type": "text/plain" }).end("Unauthorized: invalid token");
    if (req.method === "POST" && url.pathname === `/api/w/${WS}/jobs/run/f/f/pv/backfill`) {
      return res.writeHead(201, { "content-type": "text/plain" }).end(JOB);
    }
    if (req.method === "GET" && url.pathname === `/api/w/${WS}/jobs_u/get/${JOB}`) {
      if (dropNextPoll > 0) {
        dropNextPoll--;
        if (dropNextPoll % 2 === 1) return req.socket.destroy();
        return res.writeHead(502, { "content-type": "text/plain" }).end("Bad Gateway");
      }
      polls++;
      if (polls === 1) return json(200, { type: "QueuedJob", id: JOB, flow_status: { modules: [{ id: "plan", type: "InProgress" }, { id: "chunks", type: "WaitingForPriorSteps" }] } });
      if (mode === "failure") {
        return json(200, {
          type: "CompletedJob",
          id: JOB,
          success: false,
          canceled: false,
          result: { error: { name: "InvalidPlanRequest", message: "end 2099-01-01 is later than yesterday", step_id: "plan" } },
          flow_status: { modules: [{ id: "plan", type: "Failure" }] },
        });
      }
      return json(200, {
        type: "CompletedJob",
        id: JOB,
        success: true,
        canceled: false,
        result: null,
        flow_status: { modules: [{ id: "plan", type: "Success" }, { id: "chunks", type: "Success", flow_jobs: ["a", "b"] }, { id: "report", type: "Success" }] },
      });
    }
    if (req.method === "GET" && url.pathname === `/api/w/${WS}/jobs/result_by_id/${JOB}/report`) {
      return mode === "failure" ? res.writeHead(404).end("not found") : json(200, REPORT);
    }
    res.writeHead(404, { "content-type": "text/plain" }).end(`no route ${req.method} ${url.pathname}`);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
  polls = 0;
  dropNextPoll = 0;
  mode = "success";
});

const INPUT = { source: "kospo", start: "2024-06-01", end: "2024-06-03", plant: "9985", unit: 0, stations: [], policy: "missing", parallelism: 4, slack: false, debug: false };
const env = () => readEnv({ BASE_URL: `${base}/`, WM_TOKEN: TOKEN, WM_WORKSPACE: WS });

async function run(wait: boolean, json = false) {
  const out: string[] = [];
  const log: string[] = [];
  const code = await runOnWindmill({ env: env(), flow: backfill, input: INPUT, wait, json, out: (s) => out.push(s), log: (s) => log.push(s), pollMs: 5 });
  return { code, out: out.join("\n"), log: log.join("\n") };
}

describe("--engine windmill", () => {
  it("starts the deployed flow with the full input and prints the job id and its URL", async () => {
    const r = await run(false);
    expect(r.code).toBe(0);
    expect(seen).toHaveLength(1);
    const [start] = seen;
    expect(start.method).toBe("POST");
    expect(start.path).toBe(`/api/w/${WS}/jobs/run/f/f/pv/backfill`);
    expect(start.auth).toBe(`Bearer ${TOKEN}`);
    expect(start.contentType).toContain("application/json");
    // Every input field, defaults filled, exactly what the flow's form would send.
    expect(start.body).toEqual(backfill.input.parse(INPUT));
    expect(Object.keys(start.body as object).sort()).toEqual(Object.keys(backfill.input.shape).sort());
    expect(r.out).toContain(JOB);
    expect(r.out).toContain(`${base}/run/${JOB}?workspace=${WS}`);
    expect(r.out + r.log).not.toContain(TOKEN);
  });

  it("--wait polls the job, shows step progress, fetches the report step's result and exits 0", async () => {
    const r = await run(true);
    expect(r.code).toBe(0);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      `POST /api/w/${WS}/jobs/run/f/f/pv/backfill`,
      `GET /api/w/${WS}/jobs_u/get/${JOB}`,
      `GET /api/w/${WS}/jobs_u/get/${JOB}`,
      `GET /api/w/${WS}/jobs/result_by_id/${JOB}/report`,
    ]);
    expect(seen[1].query).toContain("no_logs=true");
    expectEvery(seen, (s) => s.auth === `Bearer ${TOKEN}`);
    expect(r.log).toContain("plan: InProgress");
    expect(r.log).toContain("chunks: Success 2 iterations");
    expect(r.out).toContain("kospo/hourly: 3 ok, 0 empty, 0 failed, 72 rows");
    expect(r.out).toContain(`job ${JOB} success`);
  });

  it("--wait --json on a failed job: one JSON line with the step's error, exit 1", async () => {
    mode = "failure";
    const r = await run(true, true);
    expect(r.code).toBe(1);
    const line = JSON.parse(r.out);
    expect(line).toMatchObject({ engine: "windmill", job_id: JOB, status: "failed", exit_code: 1, error: { name: "InvalidPlanRequest", step_id: "plan" }, report: null });
  });

  it("--wait survives a dropped connection or a 502 while polling", async () => {
    dropNextPoll = 2;
    const r = await run(true);
    expect(r.code).toBe(0);
    expect(r.log).toContain("retrying");
    expect(r.out).toContain(`job ${JOB} success`);
  });

  it("a rejected token is a clear error that does not print the token", async () => {
    mode = "unauthorized";
    await expect(run(false)).rejects.toThrow(/HTTP 401 \(WM_TOKEN is not a valid token/);
    await run(false).catch((e: Error) => expect(e.message).not.toContain(TOKEN));
  });

  it("missing settings are named", () => {
    expect(() => windmillTarget(readEnv({ BASE_URL: base }))).toThrow(/WM_TOKEN, WM_WORKSPACE/);
    expect(jobUrl(windmillTarget(env()), JOB)).toBe(`${base}/run/${JOB}?workspace=pv`);
  });

  it("the pvpipe CLI: backfill --engine windmill --wait", async () => {
    // Async spawn: the stub answers from this process.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [join(ROOT, "bin/pvpipe.mjs"), "backfill", "--source", "kospo", "--start", "2024-06-01", "--end", "2024-06-03", "--gencd", "9985", "--engine", "windmill", "--wait"], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", BASE_URL: base, WM_TOKEN: TOKEN, WM_WORKSPACE: WS },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d));
      child.stderr.on("data", (d: Buffer) => (stderr += d));
      child.on("error", reject);
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
    expect(r.stderr + r.stdout).not.toContain(TOKEN);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${base}/run/${JOB}?workspace=${WS}`);
    expect(r.stdout).toContain(`job ${JOB} success`);
    expect(seen[0].body).toMatchObject({ source: "kospo", start: "2024-06-01", end: "2024-06-03", plant: "9985", policy: "missing", parallelism: BACKFILL_PARALLELISM });
  });
});
