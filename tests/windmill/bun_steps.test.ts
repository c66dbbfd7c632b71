// Every step of every flow runs on a Windmill CE Bun worker's path (bun_worker.ts): the deployed
// lock installed with the image's Bun (npm bun, pinned to it), each step bundled with its relative
// imports fetched by path from a stub of the server, and called through the worker's wrapper with
// the flow's evaluated arguments as JSON — against a test database and the simulators, writing the
// same rows and returning the same results as under Node. Each case runs one flow twice with the
// local engine: once importing the steps into this Node process, once on the worker path.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLOWS } from "../../flows/index.ts";
import { stepsOf, type FlowDef } from "../../src/flow/dsl.ts";
import { runFlow, type EngineOptions, type FlowRunResult } from "../../src/flow/engine.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { DEFAULT_ASOS_SIM_KEY, startAsosSim, type AsosSim } from "../../src/simulators/asos.ts";
import { DEFAULT_KOEN_SIM_UNITS, startKoenSim, type KoenSim } from "../../src/simulators/koen.ts";
import { DEFAULT_SIM_KEY, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importClosure } from "../../src/codegen/import_closure.ts";
import { scriptSources } from "../../src/codegen/windmill.ts";
import { workerCallStep, ROOT, type BunCall } from "./bun_step.ts";
import { spawnSync } from "node:child_process";
import { BUN, startBunWorker, WINDMILL_IMAGE_BUN, type BunWorker } from "./bun_worker.ts";

interface SlackStub {
  url: string;
  posts: { text: string }[];
  close(): Promise<void>;
}

async function startSlackStub(): Promise<SlackStub> {
  const posts: { text: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      posts.push(JSON.parse(body) as { text: string });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/B000/x`,
    posts,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let kospo: KospoSim;
let asos: AsosSim;
let koen: KoenSim;
let slack: SlackStub;
let worker: BunWorker;
const bunCalls: BunCall[] = [];
/** Every script a flow calls: its steps and its failure module. */
const FLOW_SCRIPTS = [...new Set(FLOWS.flatMap((f) => [...stepsOf(f.modules).map((s) => s.step.script), ...(f.onFailure ? [f.onFailure.script] : [])]))].sort();
// Generous: a loaded machine can make each Bun start slow; the cases take seconds when it is not.
const CASE_TIMEOUT = 240_000;

beforeAll(async () => {
  kospo = await startKospoSim({});
  asos = await startAsosSim({});
  // Two plants keep the month's CSV small; the steps are the same for 23.
  koen = await startKoenSim({ units: DEFAULT_KOEN_SIM_UNITS.slice(0, 2) });
  slack = await startSlackStub();
  worker = await startBunWorker(FLOW_SCRIPTS);
}, 600_000);
afterAll(async () => {
  await kospo?.close();
  await asos?.close();
  await koen?.close();
  await slack?.close();
  await worker?.close();
});

function resources(db: TestDb): EngineOptions["resources"] {
  return {
    db: db.resource,
    kospo_api: { service_key: DEFAULT_SIM_KEY, base_url: kospo.url, key_name: "NAMBU_API_KEY" },
    asos_api: { service_key: DEFAULT_ASOS_SIM_KEY, base_url: asos.url, key_name: "ASOS_API_KEY" },
    koen_site: { base_url: koen.url, pause_ms: 0 },
    slack: { token: "", channel: "", webhook_url: slack.url },
  };
}

/** Every row of every public table and the partition states, without run ids, serial ids and timestamps of the load itself. */
async function dump(db: TestDb): Promise<Record<string, unknown[]>> {
  const tables = await db.sql<{ schema: string; name: string }[]>`
    select table_schema as schema, table_name as name from information_schema.tables
    where (table_schema = 'public' and table_type = 'BASE TABLE') or (table_schema = 'ops' and table_name = 'asset_partitions')
    order by 1, 2`;
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const cols = await db.sql<{ c: string }[]>`
      select column_name as c from information_schema.columns
      where table_schema = ${t.schema} and table_name = ${t.name}
        and column_name <> all (array['id', 'run_id', 'error']) and column_name not like '%\\_at'
      order by ordinal_position`;
    const list = cols.map((c) => `"${c.c}"`).join(", ");
    const rows = await db.sql.unsafe(`select ${list} from "${t.schema}"."${t.name}" order by ${cols.map((_, i) => i + 1).join(", ")}`);
    out[`${t.schema}.${t.name}`] = rows.map((r) => JSON.parse(JSON.stringify(r)));
  }
  return out;
}

async function runBoth(flow: FlowDef, input: Record<string, unknown>, inputDefaults = true, setup?: (db: TestDb) => Promise<void>) {
  const [nodeDb, bunDb] = await Promise.all([createTestDb(), createTestDb()]);
  const bun = workerCallStep(worker, bunCalls);
  try {
    if (setup) await Promise.all([setup(nodeDb), setup(bunDb)]);
    const [node, viaBun] = await Promise.all([
      runFlow(flow, input, { root: ROOT, resources: resources(nodeDb), retryDelayScale: 0, inputDefaults }),
      runFlow(flow, input, { root: ROOT, resources: resources(bunDb), retryDelayScale: 0, callStep: bun, inputDefaults }),
    ]);
    return { node, bun: viaBun, nodeRows: await dump(nodeDb), bunRows: await dump(bunDb) };
  } finally {
    bun.cleanup();
    await Promise.all([nodeDb.drop(), bunDb.drop()]);
  }
}

/** A run's results without what differs between two runs: the run id, timestamps, durations. */
const comparable = (r: FlowRunResult) =>
  JSON.parse(JSON.stringify(r.results).replaceAll(r.runId, "<run>"), (k, v) => (/(_at|_kst|_ms|_s|duration)$/.test(k) ? undefined : v));

// The cases run concurrently (separate databases, shared simulators); the coverage check after them.
describe.concurrent("steps on the Bun worker path give the same rows as under Node", () => {
  it("backfill kospo: prepare → plan → open_run → collect → stage → ingest → report", async () => {
    const r = await runBoth(FLOWS.find((f) => f.id === "backfill")!, { source: "kospo", start: "2024-06-01", end: "2024-06-02", plant: "9985" });
    expect(r.node.status).toBe("success");
    expect(r.bun.status).toBe("success");
    expect(r.bunRows["public.nambu_generation"]).toHaveLength(48);
    expect(r.bunRows).toEqual(r.nodeRows);
    expect(comparable(r.bun).report).toEqual(comparable(r.node).report);
  }, CASE_TIMEOUT);

  it("backfill asos: prepare → plan → open_run → collect → stage → ingest → report", async () => {
    const r = await runBoth(FLOWS.find((f) => f.id === "backfill")!, { source: "asos", start: "2024-06-01", end: "2024-06-01", stations: [108] });
    expect(r.node.status).toBe("success");
    expect(r.bun.status).toBe("success");
    expect(r.bunRows["public.weather_asos"]?.length).toBeGreaterThan(0);
    expect(r.bunRows).toEqual(r.nodeRows);
  }, CASE_TIMEOUT);

  it("backfill koen: prepare → plan → open_run → collect → stage → ingest → report", async () => {
    const r = await runBoth(FLOWS.find((f) => f.id === "backfill")!, { source: "koen", start: "2024-06-01", end: "2024-06-30" });
    expect(r.node.status).toBe("success");
    expect(r.bun.status).toBe("success");
    expect(r.bunRows["public.namdong_generation"]?.length).toBeGreaterThan(0);
    expect(r.bunRows).toEqual(r.nodeRows);
  }, CASE_TIMEOUT);

  it("probe: kospo_probe", async () => {
    const r = await runBoth(FLOWS.find((f) => f.id === "probe")!, { plant: "9985", unit: 1, earliest: "2024-01-01" });
    expect(r.node.status).toBe("success");
    expect(r.bun.status).toBe("success");
    expect(r.bunRows).toEqual(r.nodeRows);
  }, CASE_TIMEOUT);

  it("a failing run: the plan step's non-retryable error reaches the failure module, which posts to Slack", async () => {
    const r = await runBoth(FLOWS.find((f) => f.id === "backfill")!, { source: "kospo", start: "2024-06-05", end: "2024-06-01", slack: true });
    expect(r.node.status).toBe("failed");
    expect(r.bun.status).toBe("failed");
    expect(r.bun.error?.name).toBe("InvalidPlanRequest");
    expect(r.bun.error?.message).toBe(r.node.error?.message);
    const texts = slack.posts
      .map((p) => p.text.replaceAll(r.node.runId, "<run>").replaceAll(r.bun.runId, "<run>").replace(/^Duration: .*$/m, "Duration: <d>"))
      .filter((t) => t.includes("2024-06-05"));
    expect(texts).toHaveLength(2);
    expect(texts[1]).toBe(texts[0]);
    expect(texts[0]).toContain("start 2024-06-05 is after end 2024-06-01");
  }, CASE_TIMEOUT);

  // Server semantics: an API caller omits every optional input, so the steps get null for them.
  it("backfill kospo with only source, start and end (server semantics: optional inputs omitted)", async () => {
    const r = await runBoth(FLOWS.find((f) => f.id === "backfill")!, { source: "kospo", start: "2024-06-03", end: "2024-06-03" }, false);
    expect(r.node.status).toBe("success");
    expect(r.bun.status).toBe("success");
    expect(r.bunRows["public.nambu_generation"]?.length).toBeGreaterThan(0);
    expect(r.bunRows).toEqual(r.nodeRows);
    expect(comparable(r.bun).report).toEqual(comparable(r.node).report);
  }, CASE_TIMEOUT);

  it("daily_nambu continues a backfill stopped on an earlier day within its budget: plan_continuation → collect (budget) → report", async () => {
    // A backfill stopped yesterday with a budget of one request a day, whose one chunk needs two requests, one after the
    // other: the simulator's units start on 2015-10-23, so the range answers no data and its last day is asked with day+1.
    const stoppedYesterday = async (db: TestDb) => {
      const inputs = { source: "kospo", start: "2015-10-01", end: "2015-10-22", plant: "9985", unit: 0, policy: "missing" };
      await db.sql`insert into ops.runs (run_id, flow, engine, inputs, status) values ('stopped-backfill', 'backfill', 'local', ${db.sql.json(inputs)}, 'failed')`;
      await db.sql`
        insert into ops.unfinished_backfills (run_id, source, inputs, max_requests, stopped_by, stopped_at)
        values ('stopped-backfill', 'kospo', ${db.sql.json(inputs)}, 1, 'budget', ops.clock_now() - interval '1 day')`;
    };
    const r = await runBoth(FLOWS.find((f) => f.id === "daily_nambu")!, { lookback_days: 1 }, true, stoppedYesterday);
    expect(r.node.status).toBe("success");
    expect(r.bun.status).toBe("success");
    const continued = (x: FlowRunResult) => (x.results.report as { continued: unknown[] }).continued;
    expect(continued(r.bun)).toEqual([expect.objectContaining({ run_id: "stopped-backfill", requests: 1, max_requests: 1, stopped: "budget", finished: false })]);
    expect(continued(r.bun)).toEqual(continued(r.node));
    expect(r.bunRows["public.nambu_generation"]?.length).toBeGreaterThan(24);
    // the range's other days are empty; its last day waits for tomorrow's budget
    const empties = (r.bunRows["ops.asset_partitions"] as { asset: string; partition: string; status: string }[]).filter((p) => p.asset === "kospo/raw" && p.partition.startsWith("2015-10-"));
    expect(empties.map((p) => [p.partition, p.status])).toEqual(Array.from({ length: 21 }, (_, i) => [`2015-10-${String(i + 1).padStart(2, "0")}|9985-1`, "empty"]));
    expect(r.bunRows).toEqual(r.nodeRows);
  }, CASE_TIMEOUT);

  it("probe with no input at all (server semantics)", async () => {
    const r = await runBoth(FLOWS.find((f) => f.id === "probe")!, {}, false);
    expect(r.node.status).toBe("success");
    expect(r.bun.status).toBe("success");
    expect(r.bunRows).toEqual(r.nodeRows);
  }, CASE_TIMEOUT);

});

describe("the worker path", () => {
  it("runs the image's Bun: npm bun is pinned exactly to it", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies.bun).toBe(WINDMILL_IMAGE_BUN);
    expect(spawnSync(BUN, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(WINDMILL_IMAGE_BUN);
    expect(readFileSync(join(ROOT, "docker-compose.yml"), "utf8")).toContain("ghcr.io/windmill-labs/windmill:1.819.0");
  });

  it("every step a flow calls ran on it and succeeded at least once", () => {
    expect(FLOW_SCRIPTS.length).toBeGreaterThan(5);
    const ran = new Set(bunCalls.filter((c) => c.ok).map((c) => c.script.replace(/\.ts$/, "")));
    expect(FLOW_SCRIPTS.filter((s) => !ran.has(s))).toEqual([]);
  });

  it("bundled each step from exactly its import closure (type-only imports aside), fetched by path from the server", () => {
    const sources = scriptSources(ROOT);
    const closure = (s: string, valuesOnly: boolean) => importClosure(`${s}.ts`, sources, { valuesOnly }).map((f) => f.replace(/\.ts$/, "")).sort();
    for (const s of FLOW_SCRIPTS) {
      expect(worker.bundleInputs(s), s).toEqual(closure(s, true));
      // The digest in the metadata covers at least what the bundle is built from.
      expect(closure(s, false), s).toEqual(expect.arrayContaining(closure(s, true)));
    }
    expect(worker.server.missing).toEqual([]);
    expect(worker.server.served.length).toBeGreaterThan(FLOW_SCRIPTS.length);
  });

  it("installed exactly the locked versions, package-lock.json's, with no \"latest\" anywhere", () => {
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
    const installed = JSON.parse(readFileSync(join(worker.installDir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(installed.dependencies).length).toBeGreaterThan(3);
    for (const [name, version] of Object.entries(installed.dependencies)) {
      expect(version, name).toBe(lock.packages[`node_modules/${name}`]?.version);
      const got = JSON.parse(readFileSync(join(worker.installDir, "node_modules", name, "package.json"), "utf8")) as { version: string };
      expect(got.version, name).toBe(version);
    }
    const texts = [readFileSync(join(worker.installDir, "bun.lock"), "utf8"), readFileSync(join(ROOT, "dependencies/package.json"), "utf8"), ...FLOW_SCRIPTS.map((s) => readFileSync(join(ROOT, `${s}.script.lock`), "utf8"))];
    for (const t of texts) expect(t).not.toMatch(/"latest"/);
  });
});
