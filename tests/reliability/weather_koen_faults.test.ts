// Source faults of the weather (ASOS, JSON) and KOEN (CSV) sources, table-driven like
// source_faults.test.ts: one fault in the simulator for a first backfill of the scenario's own
// window, then the same backfill (policy missing+failed) against a healthy simulator. After both:
// a defined end state, the rows and data versions of a clean run, nothing duplicated. Two scenarios
// post their failures to Slack, so the secret scan covers Slack messages and the Slack token too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backfill } from "../../flows/backfill.ts";
import { runFlow, type EngineOptions } from "../../src/flow/engine.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { ROOT } from "../helpers/engine.ts";
import { DEFAULT_ASOS_SIM_KEY, startAsosSim, type AsosSimOptions } from "../../src/simulators/asos.ts";
import { startKoenSim, type KoenSimOptions } from "../../src/simulators/koen.ts";
import { SIM_SLACK_TOKEN, SIM_WEBHOOK_PATH, startSlackSim, type SlackSim } from "../helpers/slack_stub.ts";
import { countSecrets, settleSuite, type GuaranteeLine } from "./guarantees.ts";
import { captureOutput, databaseText } from "./scan.ts";

const TEST = "tests/reliability/weather_koen_faults.test.ts";
const STATION = 108;
const WRONG_ASOS_KEY = "wrong-asos-key-0123456789abcdef";

interface Window {
  start: string;
  end: string;
}
interface Scenario {
  name: string;
  source: "asos" | "koen";
  window: Window;
  asos?: Partial<AsosSimOptions>;
  koen?: Partial<KoenSimOptions>;
  asosKey?: string;
  slack?: boolean;
  /** ops.runs status of the first run. */
  first: "success" | "partial" | "failed";
  reason: RegExp;
}

const SCENARIOS: Scenario[] = [
  { name: "ASOS: truncated JSON body", source: "asos", window: { start: "2024-04-01", end: "2024-04-02" }, asos: { truncateFor: () => true }, first: "partial", reason: /BadPayload/ },
  { name: "ASOS: HTML error page with HTTP 200", source: "asos", window: { start: "2024-04-08", end: "2024-04-09" }, asos: { htmlFor: () => true }, first: "partial", reason: /SourceReturnedHtml/ },
  { name: "ASOS: gateway XML (reason 30) under dataType=JSON", source: "asos", window: { start: "2024-04-15", end: "2024-04-16" }, asosKey: WRONG_ASOS_KEY, slack: true, first: "failed", reason: /ASOS_API_KEY/ },
  { name: "ASOS: a page shorter than it says (items missing, totalCount kept)", source: "asos", window: { start: "2024-04-22", end: "2024-04-23" }, asos: { shortPageFor: () => true }, first: "partial", reason: /BadPayload|short|totalCount/ },
  { name: "KOEN: truncated CSV (cut mid-row)", source: "koen", window: { start: "2024-03-01", end: "2024-03-31" }, koen: { truncateFor: () => true }, first: "partial", reason: /BadPayload/ },
  { name: "KOEN: HTML page with HTTP 200", source: "koen", window: { start: "2024-05-01", end: "2024-05-31" }, koen: { htmlFor: () => true }, slack: true, first: "partial", reason: /SourceReturnedHtml/ },
  { name: "KOEN: connection dropped or 5xx on every attempt", source: "koen", window: { start: "2024-06-01", end: "2024-06-30" }, koen: { failFirst: 1000 }, first: "partial", reason: /SourceUnavailable|HTTP 50|socket|ECONNRESET|closed/i },
];

let db: TestDb;
let clean: TestDb;
let slack: SlackSim;
const capture = captureOutput();
const texts: string[] = [];
const tallies: { s: Scenario; lost: number; duplicated: number }[] = [];

type SlackValue = { token: string; channel: string; webhook_url: string; api_url?: string };

function engine(target: TestDb, urls: { asos?: string; koen?: string }, s?: Scenario): EngineOptions {
  const slackValue: SlackValue = { token: SIM_SLACK_TOKEN, channel: "#pv-alerts", webhook_url: "", api_url: slack.apiUrl };
  return {
    root: ROOT,
    resources: {
      db: target.resource,
      ...(urls.asos ? { asos_api: { service_key: s?.asosKey ?? DEFAULT_ASOS_SIM_KEY, base_url: urls.asos, key_name: "ASOS_API_KEY", timeout_ms: 2000 } } : {}),
      ...(urls.koen ? { koen_site: { base_url: urls.koen, pause_ms: 0 } } : {}),
      slack: slackValue,
    },
    retryDelayScale: 0,
  };
}
const input = (s: Scenario, over: Record<string, unknown> = {}) => ({
  source: s.source, start: s.window.start, end: s.window.end, policy: "missing+failed", parallelism: 1,
  ...(s.source === "asos" ? { stations: [STATION] } : {}), ...over,
});

/** The served rows of the scenario's window, as text (measured values only: what the source gave). */
async function rowsOf(d: TestDb, s: Scenario): Promise<string[]> {
  const from = `${s.window.start} 00:00+09`;
  const to = `${s.window.end} 24:00+09`;
  const rows =
    s.source === "asos"
      ? await d.sql<{ r: string }[]>`select row(stn_id, datetime, station_name, ta, hm, rn, ws, wd, pa, ps, td, ss, icsr, dc10_tca)::text as r
          from weather_asos where stn_id = ${STATION} and datetime >= ${from}::timestamptz and datetime < ${to}::timestamptz order by stn_id, datetime`
      : await d.sql<{ r: string }[]>`select row(plant_name, hogi, datetime, hour, generation, daily_total, daily_avg, daily_max, daily_min)::text as r
          from namdong_generation where datetime >= ${from}::timestamptz and datetime < ${to}::timestamptz order by plant_name, hogi, datetime`;
  return rows.map((x) => x.r);
}
async function versionsOf(d: TestDb, s: Scenario): Promise<string[]> {
  const asset = s.source === "asos" ? "asos/hourly" : "koen/hourly";
  const rows = await d.sql<{ v: string }[]>`select partition || '=' || coalesce(data_version, '-') as v from ops.asset_partitions
    where asset = ${asset} and pdate between ${s.window.start}::date and ${s.window.end}::date order by partition`;
  return rows.map((x) => x.v);
}

async function withSims<T>(s: Scenario | null, fn: (urls: { asos?: string; koen?: string }) => Promise<T>): Promise<T> {
  const asos = await startAsosSim({ ...(s?.asos ?? {}) });
  const koen = await startKoenSim({ ...(s?.koen ?? {}) });
  try {
    return await fn({ asos: asos.url, koen: koen.url });
  } finally {
    await asos.close();
    await koen.close();
  }
}

beforeAll(async () => {
  [db, clean] = await Promise.all([createTestDb(), createTestDb()]);
  slack = await startSlackSim();
  // The clean run: every window once, healthy simulators.
  await withSims(null, async (urls) => {
    for (const s of SCENARIOS) {
      const r = await runFlow(backfill, input(s, { policy: "missing" }), engine(clean, urls));
      expect(r.status, `clean ${s.name}`).toBe("success");
    }
  });
});

afterAll(async () => {
  capture.stop();
  if (tallies.length > 0) {
    const posted = slack.requests.map((r) => JSON.stringify({ headers: r.headers, body: r.body }));
    const secrets = [DEFAULT_ASOS_SIM_KEY, WRONG_ASOS_KEY, SIM_SLACK_TOKEN, SIM_WEBHOOK_PATH.split("/").pop()!, db.resource.password];
    // Slack requests carry the token in their Authorization header by design; scan their bodies.
    const leaked = countSecrets([capture.text(), ...texts, ...(await databaseText(db.sql)), ...slack.requests.map((r) => JSON.stringify(r.body))], secrets);
    expect(leaked.where).toEqual([]);
    // The Slack messages were there to scan whenever a scenario that posts ran.
    expect(posted.length > 0).toBe(tallies.some((t) => t.s.slack));
    const group = (source: Scenario["source"]) => tallies.filter((t) => t.s.source === source);
    const line = (source: Scenario["source"], claim: string): GuaranteeLine => ({
      claim,
      test: `${TEST} › weather and KOEN source faults`,
      scenarios: group(source).length,
      rowsLost: group(source).reduce((n, t) => n + t.lost, 0),
      rowsDuplicated: group(source).reduce((n, t) => n + t.duplicated, 0),
      secretsLeaked: null,
    });
    settleSuite({
      suite: "weather_koen_faults",
      title: "Source faults (ASOS, KOEN)",
      order: 2,
      lines: [
        line("asos", "ASOS: truncated JSON, HTML pages with HTTP 200, gateway XML under dataType=JSON, pages shorter than their totalCount: the days fail with the reason (a key error stops the run naming ASOS_API_KEY) and the next run loads exactly them"),
        line("koen", "KOEN: a CSV cut mid-row, an HTML page with HTTP 200, a download failing on every attempt: the month fails loudly with the reason and the next run loads it whole"),
        {
          claim: `The ASOS keys, the Slack bot token and webhook secret, and the database password appear in no output, error, ops or raw row, or Slack message of the ${tallies.length} scenarios above`,
          test: `${TEST} › afterAll scan`,
          scenarios: 0,
          rowsLost: null,
          rowsDuplicated: null,
          secretsLeaked: leaked.count,
        },
      ],
      scenarioNames: SCENARIOS.map((s) => s.name),
    }, tallies.length === SCENARIOS.length);
  }
  await slack?.close();
  await db?.drop();
  await clean?.drop();
});

describe("weather and KOEN source faults", () => {
  for (const s of SCENARIOS) {
    it(s.name, async () => {
      const first = await withSims(s, (urls) => runFlow(backfill, input(s, { slack: s.slack ?? false }), engine(db, urls, s)));
      const [run] = await db.sql<{ status: string; error: string | null; finished_at: Date | null }[]>`
        select status, error, finished_at from ops.runs where run_id = ${first.runId}`;
      const failures = await db.sql<{ error: string }[]>`
        select coalesce(error, '') as error from ops.materializations where run_id = ${first.runId} and status = 'failed'`;
      const said = [first.error?.message ?? "", run.error ?? "", ...failures.map((f) => f.error)].join("\n");
      texts.push(said, first.error?.stack ?? "");
      expect(run.finished_at).not.toBeNull();
      expect(run.status, said).toBe(s.first);
      expect(said).toMatch(s.reason);
      const stage = s.source === "asos" ? "stage.asos_hourly" : "stage.koen_hourly";
      const [{ staged }] = await db.sql.unsafe(`select count(*)::int as staged from ${stage} where run_id = $1`, [first.runId]);
      expect(staged).toBe(0);

      const second = await withSims(null, (urls) => runFlow(backfill, input(s), engine(db, urls)));
      expect(second.status).toBe("success");
      const [got, want] = await Promise.all([rowsOf(db, s), rowsOf(clean, s)]);
      const wantSet = new Set(want);
      const lost = want.filter((r) => !got.includes(r)).length;
      const duplicated = got.length - new Set(got).size + got.filter((r) => !wantSet.has(r)).length;
      tallies.push({ s, lost, duplicated });
      expect(want.length).toBeGreaterThan(0);
      expect(got).toEqual(want);
      expect(await versionsOf(db, s)).toEqual(await versionsOf(clean, s));
    });
  }
});
