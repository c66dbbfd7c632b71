// Source faults, table-driven: each scenario injects one fault into the KOSPO simulator for a first
// backfill of its own two-day window, then a second backfill (policy missing+failed) runs against a
// healthy simulator. After both: the run ended in a defined state, the rows and data versions are
// those of a clean run (or the documented reading of the bad value), nothing is duplicated, and no
// secret appears in any output, ops/raw row or error. The tallies go to results/source_faults.json.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backfill } from "../../flows/backfill.ts";
import { runFlow } from "../../src/flow/engine.ts";
import { addDays } from "../../f/lib/time/kst.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { ROOT } from "../helpers/engine.ts";
import { DEFAULT_SIM_KEY, startKospoSim, type KospoSimFault, type KospoSimOptions, type KospoSimQuery, type KospoSimRequest } from "../../src/simulators/kospo.ts";
import { SIM_SLACK_TOKEN, startSlackSim, type SlackSim } from "../helpers/slack_stub.ts";
import { countSecrets, settleSuite, type GuaranteeLine } from "./guarantees.ts";
import { captureOutput, databaseText } from "./scan.ts";
import type { EngineOptions } from "../../src/flow/engine.ts";
import type { TestDb as Db } from "../helpers/db.ts";

const PLANT = "9985";
const FIRST_DAY = "2024-03-01";
const TEST = "tests/reliability/source_faults.test.ts";

type Items = Record<string, string>[];
interface Row {
  datetime: string;
  gencd: string;
  hogi: number;
  plant_name: string | null;
  generation: number | null;
  daily_total: number | null;
}

interface Scenario {
  name: string;
  group: "transport" | "gateway" | "body" | "values" | "echo";
  days?: number; // default 2
  sim?: Partial<KospoSimOptions>;
  /** Active during the first run only. */
  fault?: (r: KospoSimRequest) => KospoSimFault | undefined;
  items?: (q: KospoSimQuery, items: Items) => Items;
  /** ops.runs status of the first run. */
  first: "success" | "partial" | "failed";
  /** Text the first run's error or failure reasons must contain. */
  reason?: RegExp;
  /** Expected row when the injected value legitimately changes what is served (default: the clean row). */
  expectRow?: (clean: Row, window: { start: string; end: string }) => Row;
  extra?: (ctx: { db: Db; window: { start: string; end: string }; firstMs: number; expect: typeof expect }) => Promise<void>;
}

const firstAttempt = (f: KospoSimFault) => (r: KospoSimRequest) => (r.attempt === 1 ? f : undefined);
const always = (f: KospoSimFault) => () => f;
const cell = (label: number) => `qhorgen${String(label).padStart(2, "0")}`;
const kstHour = (iso: string) => new Date(Date.parse(iso) + 9 * 3_600_000).getUTCHours();
const kstDay = (iso: string) => new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 10);

/** Put `value` into the label-13 cell (12:00 KST) of every item. */
const noonCell = (value: string) => (_q: KospoSimQuery, items: Items) => items.map((it) => ({ ...it, [cell(13)]: value }));
const noonIs = (v: number | null) => (row: Row) => (kstHour(row.datetime) === 12 ? { ...row, generation: v } : row);

const SCENARIOS: Scenario[] = [
  // Transport: retried within the run, so the first run already completes.
  { name: "timeout (no answer) on the first attempt", group: "transport", fault: firstAttempt("timeout"), first: "success" },
  { name: "connection reset on the first attempt", group: "transport", fault: firstAttempt("reset"), first: "success" },
  { name: "HTTP 500 on the first attempt", group: "transport", fault: firstAttempt("http-500"), first: "success" },
  { name: "HTTP 502 on the first attempt", group: "transport", fault: firstAttempt("http-502"), first: "success" },
  { name: "HTTP 503 on the first attempt", group: "transport", fault: firstAttempt("http-503"), first: "success" },
  {
    name: "HTTP 429 with Retry-After: 1 on the first attempt",
    group: "transport",
    fault: firstAttempt("http-429"),
    first: "success",
    extra: async ({ firstMs, expect }) => expect(firstMs).toBeGreaterThanOrEqual(950), // waited as told
  },
  { name: "HTTP 503 on every attempt of the first run", group: "transport", fault: always("http-503"), first: "partial", reason: /SourceUnavailable|HTTP 503/ },
  // Gateway verdicts (XML with HTTP 200).
  { name: "gateway reason 22 (quota)", group: "gateway", fault: always("gateway-22"), first: "failed", reason: /quota.*NAMBU_API_KEY|NAMBU_API_KEY.*quota/i },
  { name: "gateway reason 30 (key not registered)", group: "gateway", fault: always("gateway-30"), first: "failed", reason: /NAMBU_API_KEY.*reason 30/ },
  { name: "gateway reason 31 (key expired)", group: "gateway", fault: always("gateway-31"), first: "failed", reason: /NAMBU_API_KEY.*reason 31/ },
  { name: "gateway reason 32 (IP not registered)", group: "gateway", fault: always("gateway-32"), first: "failed", reason: /NAMBU_API_KEY.*reason 32/ },
  { name: "gateway reason 99 (unknown error)", group: "gateway", fault: always("gateway-99"), first: "partial", reason: /reason 99/ },
  // Bodies.
  { name: "HTML error page with HTTP 200", group: "body", fault: always("html"), first: "partial", reason: /SourceReturnedHtml|HTML/ },
  { name: "truncated XML body", group: "body", fault: always("truncated"), first: "partial", reason: /BadPayload|truncated/ },
  { name: "body in the wrong encoding (EUC-KR declared UTF-8)", group: "body", fault: always("wrong-encoding"), first: "success" },
  { name: "a page that repeats the previous page", group: "body", days: 5, sim: { maxRows: 2 }, fault: always("repeat-previous-page"), first: "success" },
  // Values and items.
  { name: 'cell "-" is NULL, never 0', group: "values", items: noonCell("-"), first: "success", expectRow: noonIs(null) },
  { name: 'cell "NaN" is NULL', group: "values", items: noonCell("NaN"), first: "success", expectRow: noonIs(null) },
  { name: 'cell "1,234" is 1234', group: "values", items: noonCell("1,234"), first: "success", expectRow: noonIs(1234) },
  {
    name: 'daily total "1,234.5" is 1234.5',
    group: "values",
    items: (_q, items) => items.map((it) => ({ ...it, qvodgen: "1,234.5" })),
    first: "success",
    expectRow: (row) => ({ ...row, daily_total: 1234.5 }),
  },
  { name: "duplicated items for one day", group: "values", items: (_q, items) => items.flatMap((it) => [it, { ...it }]), first: "success" },
  {
    name: "an item for a day that was not asked",
    group: "values",
    items: (q, items) => [...items, { ...(items[0] ?? {}), ymd: addDays(q.end, 1).replaceAll("-", "") }],
    first: "success",
    extra: async ({ db, window, expect }) => {
      const [{ n }] = await db.sql`select count(*)::int as n from nambu_generation
        where datetime >= ${`${addDays(window.end, 1)} 00:00+09`}::timestamptz and datetime < ${`${addDays(window.end, 2)} 00:00+09`}::timestamptz`;
      expect(n).toBe(0);
    },
  },
  {
    name: "ymd with separators (2024/03/01) is read as that day",
    group: "values",
    items: (_q, items) => items.map((it) => ({ ...it, ymd: `${it.ymd.slice(0, 4)}/${it.ymd.slice(4, 6)}/${it.ymd.slice(6)}` })),
    first: "success",
  },
  {
    name: "a wrong ymd format (01-03-2024) fails those days",
    group: "values",
    items: (_q, items) => items.map((it) => ({ ...it, ymd: `${it.ymd.slice(6)}-${it.ymd.slice(4, 6)}-${it.ymd.slice(0, 4)}` })),
    first: "partial",
    reason: /BadPayload|ymd/,
  },
  { name: "an empty ipptnm takes the reference name", group: "values", items: (_q, items) => items.map((it) => ({ ...it, ipptnm: "" })), first: "success" },
  // Answers that carry the caller's key back (the redaction is tested on text that really holds it).
  { name: "gateway reason 30 quoting the query string as received", group: "echo", fault: always("gateway-30-echo"), first: "failed", reason: /NAMBU_API_KEY.*reason 30/ },
  { name: "gateway reason 22 naming the key", group: "echo", fault: always("gateway-22-echo"), first: "failed", reason: /quota/i },
  { name: "result code 99 naming the key", group: "echo", fault: always("result-99-echo"), first: "partial", reason: /reason 99|UNKNOWN_ERROR/ },
  { name: "an HTML error page quoting the request URL", group: "echo", fault: always("html-echo"), first: "partial", reason: /SourceReturnedHtml|HTML/ },
];

let db: TestDb;
let clean: TestDb;
let cleanRows: Row[];
let cleanVersions: Map<string, string | null>;
let capture: ReturnType<typeof captureOutput>;
let slack: SlackSim;
const tallies: { s: Scenario; lost: number; duplicated: number; leaked: number }[] = [];

const windowOf = (i: number, s: Scenario) => {
  const start = addDays(FIRST_DAY, 6 * i);
  return { start, end: addDays(start, (s.days ?? 2) - 1) };
};
const engine = (url: string): EngineOptions => ({
  root: ROOT,
  resources: {
    db: db.resource,
    kospo_api: { service_key: DEFAULT_SIM_KEY, base_url: url, key_name: "NAMBU_API_KEY", timeout_ms: 1000 },
    slack: { token: SIM_SLACK_TOKEN, channel: "#pv-alerts", webhook_url: "", api_url: slack.apiUrl },
  },
  retryDelayScale: 0,
});
// The echo scenarios report to Slack, so the messages a person would read are scanned too.
const input = (w: { start: string; end: string }, s?: Scenario) => ({
  source: "kospo", start: w.start, end: w.end, plant: PLANT, policy: "missing+failed", parallelism: 1, slack: s?.group === "echo",
});
/** The Slack messages posted so far; with run ids, only those that name one of them. */
const slackBodies = (runIds?: string[]) => slack.requests.map((r) => JSON.stringify(r.body)).filter((b) => !runIds || runIds.some((id) => b.includes(id)));

async function rowsOf(d: Db, w: { start: string; end: string }): Promise<Row[]> {
  return d.sql<Row[]>`
    select to_char(datetime at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as datetime, gencd, hogi, plant_name, generation, daily_total
    from nambu_generation where gencd = ${PLANT}
      and datetime >= ${`${w.start} 00:00+09`}::timestamptz and datetime < ${`${addDays(w.end, 1)} 00:00+09`}::timestamptz
    order by gencd, hogi, datetime`;
}
async function versionsOf(d: Db, w: { start: string; end: string }) {
  const rows = await d.sql<{ partition: string; data_version: string | null }[]>`
    select partition, data_version from ops.asset_partitions where asset = 'kospo/hourly'
      and split_part(partition, '|', 1) between ${w.start} and ${w.end} order by partition`;
  return rows;
}

beforeAll(async () => {
  capture = captureOutput();
  slack = await startSlackSim();
  [db, clean] = await Promise.all([createTestDb(), createTestDb()]);
  const healthy = await startKospoSim();
  try {
    const last = windowOf(SCENARIOS.length - 1, SCENARIOS[SCENARIOS.length - 1]);
    const r = await runFlow(backfill, { source: "kospo", start: FIRST_DAY, end: addDays(last.end, 2), plant: PLANT }, {
      ...engine(healthy.url),
      resources: { db: clean.resource, kospo_api: { service_key: DEFAULT_SIM_KEY, base_url: healthy.url, key_name: "NAMBU_API_KEY" } },
    });
    expect(r.status).toBe("success");
  } finally {
    await healthy.close();
  }
  cleanRows = await rowsOf(clean, { start: FIRST_DAY, end: "2024-12-31" });
  cleanVersions = new Map((await versionsOf(clean, { start: FIRST_DAY, end: "2024-12-31" })).map((v) => [v.partition, v.data_version]));
});

afterAll(async () => {
  capture?.stop();
  // The scan runs whenever a scenario ran; the README figures are settled only when all of them did.
  if (tallies.length > 0) {
    const leaked = countSecrets([capture.text(), ...(await databaseText(db.sql)), ...slackBodies()], [DEFAULT_SIM_KEY]);
    // The Slack messages were there to scan whenever an echo scenario ran.
    expect(slack.requests.length > 0).toBe(tallies.some((t) => t.s.group === "echo"));
    const groups: Record<Scenario["group"], string> = {
      transport: "Timeouts, connection resets, HTTP 500/502/503 and 429 with Retry-After: retried, the run completes; persisting failures fail only those days and the next run loads them",
      gateway: "Gateway errors 22/30/31/32/99: quota and key errors stop the run naming NAMBU_API_KEY, 99 fails the days; the next run loads exactly the missing days",
      body: "HTML pages with HTTP 200, truncated XML, a body in the wrong encoding, a page repeating the previous page: the bad days fail (or are re-asked) and the next run completes them",
      values: 'Bad values and items ("-", "NaN", "1,234", duplicated items, items for days not asked, a wrong ymd, an empty ipptnm): read as documented, never 0, never extra rows',
      echo: "Answers that echo the key (reason 30 quoting the query string, reason 22 and result code 99 naming the key, an HTML page quoting the URL): the run ends as for the plain fault and the key is reported nowhere",
    };
    const lines: GuaranteeLine[] = (Object.keys(groups) as Scenario["group"][]).map((g) => {
      const t = tallies.filter((x) => x.s.group === g);
      return {
        claim: groups[g],
        test: `${TEST} › source faults`,
        scenarios: t.length,
        rowsLost: t.reduce((n, x) => n + x.lost, 0),
        rowsDuplicated: t.reduce((n, x) => n + x.duplicated, 0),
        secretsLeaked: t.reduce((n, x) => n + x.leaked, 0),
      };
    });
    lines.push({
      claim: `The service key (as given, percent-encoded once or twice in either hex case, base64, JSON-escaped) appears in no output, error, failure reason, ops or raw row, or Slack message of the ${tallies.length} scenarios above, including URLs of failed requests and answers that echo it`,
      test: `${TEST} › afterAll scan`,
      scenarios: 0,
      rowsLost: null,
      rowsDuplicated: null,
      secretsLeaked: leaked.count,
    });
    expect(leaked.where).toEqual([]);
    settleSuite({ suite: "source_faults", title: "Source faults (KOSPO)", order: 1, lines, scenarioNames: SCENARIOS.map((s) => s.name) }, tallies.length === SCENARIOS.length);
  }
  await slack?.close();
  await db?.drop();
  await clean?.drop();
});

/** What one run left that could carry a secret: its errors and failure reasons, its ops rows and raw payload rows. */
async function runTexts(d: Db, runIds: string[]): Promise<string[]> {
  const rows = await d.sql<{ j: string }[]>`
    select to_jsonb(r)::text as j from ops.runs r where run_id in ${d.sql(runIds)}
    union all select to_jsonb(m)::text from ops.materializations m where run_id in ${d.sql(runIds)}
    union all select (to_jsonb(k) - 'body')::text from raw.kospo_items k where run_id in ${d.sql(runIds)}`;
  return rows.map((r) => r.j);
}

// Scenarios touch disjoint windows, so they run a few at a time.
describe.concurrent("source faults", () => {
  SCENARIOS.forEach((s, i) => {
    it(s.name, async ({ expect }) => {
      const w = windowOf(i, s);
      let faulty = true;
      const sim = await startKospoSim({
        ...s.sim,
        faultFor: (r) => (faulty && s.fault ? s.fault(r) : undefined),
        itemsFor: (q, items) => (faulty && s.items ? s.items(q, items) : items),
      });
      try {
        const t0 = Date.now();
        const first = await runFlow(backfill, input(w, s), engine(sim.url));
        const firstMs = Date.now() - t0;
        const [run] = await db.sql<{ status: string; error: string | null; finished_at: Date | null }[]>`
          select status, error, finished_at from ops.runs where run_id = ${first.runId}`;
        const failures = await db.sql<{ error: string }[]>`
          select coalesce(error, '') as error from ops.materializations where run_id = ${first.runId} and status = 'failed'`;
        const firstTexts = [first.error?.message ?? "", first.error?.stack ?? "", run.error ?? "", ...failures.map((f) => f.error)];
        // A defined end state: closed, with the expected status, nothing left in stage.
        expect(run.finished_at).not.toBeNull();
        expect(run.status, `${run.error} ${failures.map((f) => f.error).join("; ")}`).toBe(s.first);
        // A failing first run names its reason; a successful one has none to give.
        expect([first.error?.message, run.error, ...failures.map((f) => f.error)].join("\n")).toMatch(s.reason ?? /^\s*$/);
        const [{ staged }] = await db.sql`select count(*)::int as staged from stage.kospo_hourly where run_id = ${first.runId}`;
        expect(staged).toBe(0);

        faulty = false;
        const second = await runFlow(backfill, input(w, s), engine(sim.url));
        expect(second.status).toBe("success");
        const [run2] = await db.sql`select status from ops.runs where run_id = ${second.runId}`;
        expect(run2.status).toBe("success");

        const got = await rowsOf(db, w);
        const want = cleanRows.filter((r) => kstDay(r.datetime) >= w.start && kstDay(r.datetime) <= w.end).map((r) => (s.expectRow ? s.expectRow(r, w) : r));
        const key = (r: Row) => `${r.gencd}|${r.hogi}|${r.datetime}`;
        const gotByKey = new Map<string, Row[]>();
        for (const r of got) gotByKey.set(key(r), [...(gotByKey.get(key(r)) ?? []), r]);
        const lost = want.filter((r) => !gotByKey.get(key(r))?.some((g) => JSON.stringify(g) === JSON.stringify(r))).length;
        const [{ dupmat }] = await db.sql`select count(*)::int as dupmat from (select 1 from ops.materializations
          where run_id in (${first.runId}, ${second.runId}) group by run_id, asset, partition having count(*) > 1) d`;
        const duplicated = got.length - gotByKey.size + Math.max(0, got.length - want.length) + dupmat;
        const leaks = countSecrets([...firstTexts, second.error?.message ?? "", ...(await runTexts(db, [first.runId, second.runId])), ...slackBodies([first.runId, second.runId])], [DEFAULT_SIM_KEY]);
        // The echo scenarios' messages were there to scan.
        expect(slackBodies([first.runId, second.runId]).length > 0).toBe(s.group === "echo");
        tallies.push({ s, lost, duplicated, leaked: leaks.count });
        expect(leaks.where).toEqual([]);
        expect(got).toEqual(want);
        expect(duplicated).toBe(0);
        // The data versions (a hash of the served generation) are a clean run's, except on days whose
        // generation the injected value legitimately changed.
        const versions = await versionsOf(db, w);
        expect(versions).toHaveLength(s.days ?? 2);
        const clean = cleanRows.filter((r) => kstDay(r.datetime) >= w.start && kstDay(r.datetime) <= w.end);
        const sameGeneration = (day: string) => want.every((r, i) => kstDay(r.datetime) !== day || r.generation === clean[i].generation);
        expect(versions.map((v) => [v.partition, v.data_version === cleanVersions.get(v.partition)])).toEqual(
          versions.map((v) => [v.partition, sameGeneration(v.partition.slice(0, 10))]),
        );
        await s.extra?.({ db, window: w, firstMs, expect });
      } finally {
        await sim.close();
      }
    });
  });
});
