// The local UI in a real browser (headless Chromium through playwright-core) against `pvpipe ui`
// serving a database loaded by `pvpipe backfill` with one partition made to fail: the asset graph,
// the partition grid and a failed partition's page, a backfill launched from the form and followed
// live, Cancel, the data-health map and a plant's series — and no console error on any page.
// One database, one UI process and one browser for the whole file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, yesterdayKst } from "../../f/lib/time/kst.ts";
import { backfill } from "../../flows/backfill.ts";
import { cliEnv, pgUrl, runCli, startCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { expectEvery } from "../helpers/expect_every.ts";
import { DEFAULT_SIM_KEY, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";
import { openBrowser, type TestBrowser } from "./browser.ts";

const END = yesterdayKst();
const START = addDays(END, -6);
/** The partition the simulator answers with an HTML page, whatever is asked: it fails. */
const FAILED_DAY = addDays(END, -2);
const FAILED_UNIT = { gencd: "997N", hogi: 1 };
const FAILED = `${FAILED_DAY}|997N-1`;

let db: TestDb;
let fast: KospoSim;
let slow: KospoSim;
let ui: Awaited<ReturnType<typeof startCli>>;
let base: string;
let b: TestBrowser;

beforeAll(async () => {
  db = await createTestDb();
  fast = await startKospoSim({
    meterGaps: 0.2,
    faultFor: (r) => (r.gencd === FAILED_UNIT.gencd && r.hogi === FAILED_UNIT.hogi && r.start <= FAILED_DAY && r.end >= FAILED_DAY ? "html" : undefined),
  });
  // Launched runs fetch from a slow simulator, so a run of years is still going when it is cancelled.
  slow = await startKospoSim({ latencyMs: 600 });
  const env = cliEnv({ DATABASE_URL: pgUrl(db.resource), NAMBU_API_KEY: DEFAULT_SIM_KEY });
  const load = await runCli(["backfill", "--source", "kospo", "--start", START, "--end", END], { ...env, KOSPO_API_URL: fast.url });
  expect(load.code, load.stderr).toBe(1); // the one failed partition
  ui = await startCli(["ui", "--ui-port", "0"], { ...env, KOSPO_API_URL: slow.url }, /UI: http:\/\/127\.0\.0\.1:\d+\//);
  base = /UI: (http:\/\/127\.0\.0\.1:\d+)\//.exec(ui.output())![1];
  b = await openBrowser();
});

afterAll(async () => {
  await b?.close();
  ui?.child.kill("SIGINT");
  await ui?.exited;
  await fast?.close();
  await slow?.close();
  await db?.drop();
});

describe("the local UI in Chromium", () => {
  it("the assets page shows the six assets and their three edges, laid out by dagre", async () => {
    const { page } = b;
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe("/assets");
    const nodes = await page.locator("svg.asset-graph [data-asset]").evaluateAll((els) => els.map((e) => e.getAttribute("data-asset")));
    expect(nodes.sort()).toEqual(["asos/hourly", "asos/raw", "koen/hourly", "koen/raw", "kospo/hourly", "kospo/raw"]);
    const edges = await page.locator("svg.asset-graph [data-edge]").evaluateAll((els) => els.map((e) => e.getAttribute("data-edge")));
    expect(edges.sort()).toEqual(["asos/raw->asos/hourly", "koen/raw->koen/hourly", "kospo/raw->kospo/hourly"]);
    // Laid out left to right: every raw asset left of the asset built from it.
    const x = async (key: string) => Number(await page.locator(`[data-asset="${key}"] rect.node-box`).getAttribute("x"));
    for (const s of ["kospo", "asos", "koen"]) expect(await x(`${s}/raw`)).toBeLessThan(await x(`${s}/hourly`));
    await expect(page.locator('[data-asset="kospo/hourly"] .node-checks').textContent()).resolves.toMatch(/failing check|checks passing/);
    await b.shot(page, "assets");
    await page.locator('[data-asset="kospo/hourly"]').click();
    await page.waitForURL(/\/asset\?key=kospo%2Fhourly/);
  });

  it("a failed partition is red in the grid, and its page shows the error", async () => {
    const { page } = b;
    await page.goto(`${base}/asset?key=kospo%2Fhourly`);
    const cell = page.locator(`td[data-partition="${FAILED}"]`);
    await expect(cell.getAttribute("data-status")).resolves.toBe("failed");
    expect(await cell.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(198, 40, 40)");
    // The other partitions of the window are materialized (green), none of them red.
    const statuses = await page.locator("td[data-partition]").evaluateAll((els) => els.map((e) => [e.getAttribute("data-partition"), e.getAttribute("data-status")]));
    expect(statuses.filter(([, s]) => s === "failed")).toEqual([[FAILED, "failed"]]);
    await b.shot(page, "asset_kospo_hourly");
    await cell.locator("a").click();
    await page.waitForURL(/\/partition\?/);
    const [stored] = await db.sql<{ error: string }[]>`select error from ops.asset_partitions where asset = 'kospo/hourly' and partition = ${FAILED}`;
    expect(stored.error.length).toBeGreaterThan(0);
    await expect(page.locator(".partition-error").textContent()).resolves.toBe(stored.error);
    await expect(page.locator("[data-partition-status]").getAttribute("data-partition-status")).resolves.toBe("failed");
    await expect(page.locator("table.materializations tbody tr").first().textContent()).resolves.toContain("failed");
    await b.shot(page, "partition_failed");
    // The stored raw payload of the same partition: the failed fetch with its reason.
    await page.locator("a.raw-link").click();
    await page.waitForURL(/\/raw\?/);
    await expect(page.locator("section.raw-fetch").first().textContent()).resolves.toContain("failed");
  });

  it("a backfill launched from the form shows its plan, appears in Runs with live step logs, and Cancel ends it cancelled", async () => {
    const { page, context } = b;
    await page.goto(`${base}/launch`);
    // The form is the flow's input schema: one field per input.
    const fields = await page.locator("form.flow-form [data-field]").evaluateAll((els) => els.map((e) => e.getAttribute("data-field")));
    expect(fields).toEqual(Object.keys(backfill.input.shape));
    expect(fields).toEqual(expect.arrayContaining(["source", "start", "end", "policy"]));
    await page.selectOption("select[name=source]", "kospo");
    await page.fill("input[name=start]", "2021-01-01");
    await page.fill("input[name=end]", "2023-12-31");
    await page.selectOption("select[name=plant]", "997N");
    await page.selectOption("select[name=unit]", { label: "997N-1" });
    await page.fill("input[name=parallelism]", "1");
    await page.click("[data-preview]");
    await page.waitForSelector("section.plan");
    await expect(page.locator("section.plan").getAttribute("data-plan-partitions")).resolves.toBe("1095");
    await expect(page.locator(".plan-summary").textContent()).resolves.toMatch(/kospo\/hourly 2021-01-01\.\.2023-12-31, policy missing: 1,095 partitions in 36 chunks/);
    await b.shot(page, "launch_plan");
    await page.click("[data-launch]");
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    const runId = page.url().split("/").at(-1)!;

    // Step events arrive over server-sent events while the run goes: rows added without a reload.
    await page.waitForSelector('tr.live[data-kind="step_finished"]', { timeout: 120_000 });
    expect(page.url()).toBe(`${base}/runs/${runId}`);
    await expect(page.locator("[data-run-status]").getAttribute("data-run-status")).resolves.toBe("running");
    await b.shot(page, "run_live");

    // The run is in the list, as a running backfill.
    const list = await context.newPage();
    await list.goto(`${base}/runs`);
    const row = list.locator(`tr[data-run="${runId}"]`);
    await expect(row.textContent()).resolves.toMatch(/backfill\s*running/);
    await expect(row.textContent()).resolves.toContain("kospo 2021-01-01..2023-12-31 997N-1 missing");
    await list.close();

    await page.click("[data-cancel]");
    await page.waitForSelector('[data-run-status="cancelled"]', { timeout: 120_000 });
    await page.waitForSelector('tr[data-kind="run_finished"]');
    await expect(page.locator('tr[data-kind="cancel_requested"]').textContent()).resolves.toContain("cancel requested by the UI");
    const [run] = await db.sql<{ status: string; finished: boolean }[]>`select status, finished_at is not null as finished from ops.runs where run_id = ${runId}`;
    expect(run).toEqual({ status: "cancelled", finished: true });
    await b.shot(page, "run_cancelled");
  });

  it("the data-health map shows every plant unit with coordinates, and a plant's measured and filled series", async () => {
    const { page } = b;
    await page.goto(`${base}/health`);
    const located = await db.sql<{ plant_id: string }[]>`select plant_id from reporting.pv_plants where latitude is not null and longitude is not null`;
    expect(located.length).toBeGreaterThan(10);
    const shown = await page.locator("svg.korea-map circle.plant[data-plant]").evaluateAll((els) => els.map((e) => e.getAttribute("data-plant")));
    expect(shown.sort()).toEqual(located.map((r) => r.plant_id).sort());
    // Circles sit inside the map.
    const boxes = await page.locator("svg.korea-map circle.plant").evaluateAll((els) => els.map((e) => [Number(e.getAttribute("cx")), Number(e.getAttribute("cy"))]));
    expectEvery(boxes, ([x, y]) => x > 0 && y > 0 && x < 600 && y < 600);
    // Yesterday's KOSPO units were loaded: coloured by completeness and checks, not "no data".
    const kospo = await page.locator('circle.plant[data-plant^="kospo:"]').evaluateAll((els) => els.map((e) => e.getAttribute("class")));
    expectEvery(kospo, (c) => /h-(ok|warn|bad)/.test(c ?? ""));
    await b.shot(page, "health_map");

    // The unit with the most filled hours in the loaded week: its chart and its fill methods.
    const [unit] = await db.sql<{ plant_id: string; methods: string[] }[]>`
      select 'kospo:' || gencd || '-' || hogi as plant_id, array_agg(distinct fill_method order by fill_method) as methods
      from public.nambu_generation where fill_method <> 'measured'
      group by 1 order by count(*) desc, 1 limit 1`;
    expect(unit.methods.length).toBeGreaterThan(0);
    await page.locator(`circle.plant[data-plant="${unit.plant_id}"]`).click();
    await page.waitForURL(/\/health\/plant\?/);
    await page.waitForSelector(".uplot canvas");
    const legend = await page.locator("ul.methods li[data-method]").evaluateAll((els) => els.map((e) => e.getAttribute("data-method")));
    expect(legend.sort()).toEqual(["measured", ...unit.methods].sort());
    const series = await page.locator(".uplot .u-legend .u-series").allTextContents();
    expect(series.join(" ")).toMatch(/measured.*filled/);
    for (const m of unit.methods) expect(series.join(" ")).toContain(m === "none" ? "none (left empty" : m);
    await b.shot(page, "plant_series");
  });

  it("no page logged a console error", () => {
    expect(b.errors).toEqual([]);
  });
});
