// Slack notifications end to end: flows with `slack: true` on the local engine post through
// @slack/web-api to a local stand-in of the Slack Web API (or an incoming webhook); every Slack
// failure leaves the data run green and is recorded on the run, never with the token.
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { backfill } from "../../flows/backfill.ts";
import { main as notifySlack } from "../../f/pv/notify_slack.ts";
import { startRun } from "../../f/lib/store/runs.ts";
import type { EngineOptions } from "../../src/flow/engine.ts";
import { runFlow } from "../../src/flow/engine.ts";
import { cliEnv, pgUrl, runCli } from "../helpers/cli.ts";
import { createTestDb, type TestDb } from "../helpers/db.ts";
import { engineFor, ROOT } from "../helpers/engine.ts";
import { DEFAULT_SIM_KEY, startKospoSim, type KospoSim } from "../../src/simulators/kospo.ts";
import { blocksText, SIM_SLACK_TOKEN, SIM_WEBHOOK_PATH, startSlackSim, type SlackSim } from "../helpers/slack_stub.ts";
import { bunCallStep } from "../windmill/bun_step.ts";

// Whole flows run per test; give a loaded machine room.
vi.setConfig({ testTimeout: 120_000 });

let db: TestDb;
let kospo: KospoSim;
let slack: SlackSim;
let logs: string[] = [];
const allLogs: string[] = [];
const WRONG_TOKEN = "sim-wrong-slack-token-5678"; // a made-up value, not shaped like a real Slack token

beforeAll(async () => {
  db = await createTestDb();
  kospo = await startKospoSim({});
  slack = await startSlackSim();
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => {
    const line = a.map(String).join(" ");
    logs.push(line);
    allLogs.push(line);
  });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await slack?.close();
  await kospo?.close();
  await db?.drop();
});
afterEach(() => {
  slack.requests.length = 0;
  slack.script([]);
  slack.retryAfter = 1;
  logs = [];
});

type SlackValue = { token: string; channel: string; webhook_url: string; api_url?: string };
const bot = (over: Partial<SlackValue> = {}): SlackValue => ({ token: SIM_SLACK_TOKEN, channel: "#pv-alerts", webhook_url: "", api_url: slack.apiUrl, ...over });
const webhook = (): SlackValue => ({ token: "", channel: "", webhook_url: slack.webhookUrl });

function engine(slackValue: SlackValue, kospoUrl = kospo.url): EngineOptions {
  const e = engineFor(db, kospoUrl);
  return { ...e, resources: { ...e.resources, slack: slackValue } };
}
const input = (day: string, over: Record<string, unknown> = {}) => ({ source: "kospo", start: day, end: day, plant: "9985", parallelism: 1, slack: true, ...over });
const posts = () => slack.requests.filter((r) => r.path === "/api/chat.postMessage");

async function notificationsOf(runId: string) {
  return db.sql<{ kind: string; alert: string; status: string; via: string | null; channel: string | null; attempts: number; detail: string | null }[]>`
    select kind, alert, status, via, channel, attempts, detail from ops.notifications where run_id = ${runId} order by id`;
}
async function runRow(runId: string) {
  const [run] = await db.sql<{ status: string; error: string | null; summary: { notify?: { status: string; detail: string | null } } | null }[]>`
    select status, error, summary from ops.runs where run_id = ${runId}`;
  return run;
}

describe("Slack summary after a run", () => {
  it("posts one chat.postMessage with the bot token, the channel, blocks and a text fallback", async () => {
    const r = await runFlow(backfill, input("2024-07-01"), engine(bot()));
    expect(r.status).toBe("success");
    expect(posts()).toHaveLength(1);
    const [req] = posts();
    expect(req.headers.authorization).toBe(`Bearer ${SIM_SLACK_TOKEN}`);
    expect(req.body.channel).toBe("#pv-alerts");
    expect(req.body.text).toContain("backfill: 2024-07-01 complete");
    expect(req.body.text).toContain("Rows written: 24");
    expect(req.body.blocks?.[0]).toEqual({ type: "header", text: { type: "plain_text", text: ":white_check_mark: backfill: 2024-07-01 complete", emoji: true } });
    const text = blocksText(req.body);
    expect(text).toContain("`kospo/hourly`: 1 materialized · 0 empty · 0 failed · 0 skipped (blocking check) · 24 rows");
    expect(text).toMatch(/\*Engine\*\nlocal engine/);
    expect(text).toContain(`run \`${r.runId}\``);
    expect(r.results.notify).toMatchObject({ status: "sent", via: "api", alert: "success", attempts: 1 });
    expect(await notificationsOf(r.runId)).toEqual([{ kind: "summary", alert: "success", status: "sent", via: "api", channel: "#pv-alerts", attempts: 1, detail: null }]);
    expect((await runRow(r.runId)).summary?.notify).toMatchObject({ status: "sent" });
    expect(logs.filter((l) => l.startsWith("notify_slack:"))).toEqual([expect.stringContaining("sent the success message")]);
  });

  it("posts nothing when the run's slack input is false", async () => {
    const r = await runFlow(backfill, input("2024-07-02", { slack: false }), engine(bot()));
    expect(r.status).toBe("success");
    expect(r.results.notify).toBeNull();
    expect(slack.requests).toHaveLength(0);
    expect(await notificationsOf(r.runId)).toEqual([]);
  });

  it("a run that collected nothing where data was expected is posted as an alert", async () => {
    const silent = await startKospoSim({ units: [] });
    try {
      const r = await runFlow(backfill, input("2024-07-03"), engine(bot(), silent.url));
      expect(r.status).toBe("success");
      const [req] = posts();
      expect(req.body.text).toContain(":rotating_light: backfill: nothing collected for 2024-07-03");
      // Never the success wording (a check named "completeness" may appear further down).
      expect(req.body.text).not.toMatch(/ complete\b|완료/);
      expect(req.body.blocks?.[0].text?.text).toBe(":rotating_light: backfill: nothing collected for 2024-07-03");
      expect(blocksText(req.body)).toContain("pvpipe backfill --source kospo --start 2024-07-03 --end 2024-07-03 --gencd 9985 --policy all");
      expect(r.results.notify).toMatchObject({ status: "sent", alert: "nothing_collected" });
    } finally {
      await silent.close();
    }
  });

  it("skips with one log line when Slack is not configured", async () => {
    const r = await runFlow(backfill, input("2024-07-04"), engine({ token: "", channel: "", webhook_url: "" }));
    expect(r.status).toBe("success");
    expect(slack.requests).toHaveLength(0);
    expect(logs.filter((l) => l.startsWith("notify_slack:"))).toEqual([expect.stringMatching(/skipped .*Slack is not configured/)]);
    expect(await notificationsOf(r.runId)).toEqual([expect.objectContaining({ status: "skipped", attempts: 0 })]);
  });

  it("posts to an incoming webhook (the old setup) as JSON with blocks", async () => {
    const r = await runFlow(backfill, input("2024-07-05"), engine(webhook()));
    expect(r.status).toBe("success");
    expect(slack.requests).toHaveLength(1);
    const [req] = slack.requests;
    expect(req.path).toBe(SIM_WEBHOOK_PATH);
    expect(req.headers["content-type"]).toMatch(/application\/json/);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body.text).toContain("backfill: 2024-07-05 complete");
    expect(req.body.blocks?.[0].type).toBe("header");
    expect(await notificationsOf(r.runId)).toEqual([expect.objectContaining({ status: "sent", via: "webhook", channel: null })]);
  });
});

describe("failing checks in the message", () => {
  it("lists the run's failing checks (top 5, blocking first, plant and day) and the partitions a blocking check held back", async () => {
    const r = await runFlow(backfill, input("2024-07-26", { slack: false }), engine(bot()));
    const p = "2024-07-26|9985-1";
    const rows = [
      ["night_generation", false, "error", true, "generation 12.5 kWh at 02:00 with the sun below the horizon"],
      ["hours_complete", false, "error", false, "22 of 24 hours"],
      ["daily_total", false, "warn", false, "daily total differs by 3%"],
      ["stuck_values", false, "warn", false, "6 equal hours"],
      ["zero_day", false, "warn", false, "all hours 0"],
      ["impossible_values", false, "warn", false, "above capacity"],
      ["one_cell_day", false, "warn", false, "one value only"],
      ["freshness", true, "error", true, "fresh"],
    ] as const;
    for (const [name, passed, severity, blocking, message] of rows) {
      await db.sql`insert into ops.check_results (asset, partition, check_name, passed, severity, blocking, message, run_id)
        values ('kospo/hourly', ${p}, ${name}, ${passed}, ${severity}, ${blocking}, ${message}, ${r.runId})`;
    }
    // An earlier failing result of a check that passed later does not count.
    await db.sql`insert into ops.check_results (asset, partition, check_name, passed, severity, blocking, message, run_id, checked_at)
      values ('kospo/hourly', ${p}, 'freshness', false, 'error', true, 'late', ${r.runId}, ops.clock_now() - interval '1 hour')`;
    const out = await notifySlack(db.resource, bot(), r.runId, true, "summary");
    expect(out).toMatchObject({ status: "sent", alert: "partial" });
    const text = blocksText(posts()[0].body);
    const section = text.slice(text.indexOf("*Failing checks* (7)"));
    const lines = section.split("\n").filter((l) => l.startsWith("• "));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe("• 9985-1 2024-07-26 `night_generation` (error, blocking, kospo/hourly): generation 12.5 kWh at 02:00 with the sun below the horizon");
    expect(lines[1]).toBe("• 9985-1 2024-07-26 `hours_complete` (error, kospo/hourly): 22 of 24 hours");
    expect(section).toContain("… and 2 more");
    expect(text).toContain("`kospo/hourly`: 1 materialized · 0 empty · 0 failed · 1 skipped (blocking check) · 24 rows");
  });
});

describe("Slack errors never fail the data run", () => {
  const cases: { name: string; day: string; slack: () => SlackValue; faults: Parameters<SlackSim["script"]>[0]; retryAfter?: number; status: string; attempts: number; detail: RegExp | null }[] = [
    { name: "ratelimited, then accepted after Retry-After", day: "2024-07-10", slack: () => bot(), faults: ["ratelimited"], status: "sent", attempts: 2, detail: null },
    { name: "ratelimited twice", day: "2024-07-11", slack: () => bot(), faults: ["ratelimited", "ratelimited"], status: "error", attempts: 2, detail: /^ratelimited \(Retry-After 1 s\)$/ },
    { name: "Retry-After beyond the bounded wait", day: "2024-07-12", slack: () => bot(), faults: ["ratelimited"], retryAfter: 3600, status: "error", attempts: 1, detail: /ratelimited \(Retry-After 3600 s\); not retried/ },
    { name: "channel_not_found", day: "2024-07-13", slack: () => bot({ channel: "#gone" }), faults: ["channel_not_found"], status: "error", attempts: 1, detail: /^channel_not_found: the channel does not exist/ },
    { name: "invalid_auth (a wrong token)", day: "2024-07-14", slack: () => bot({ token: WRONG_TOKEN }), faults: [], status: "error", attempts: 1, detail: /^invalid_auth: the bot token is invalid/ },
    { name: "a dropped connection", day: "2024-07-15", slack: () => bot(), faults: ["drop"], status: "error", attempts: 1, detail: /^network error: / },
    { name: "an HTTP 500", day: "2024-07-16", slack: () => bot(), faults: ["http500"], status: "error", attempts: 1, detail: /HTTP 500/ },
    { name: "webhook 404 channel_not_found", day: "2024-07-17", slack: webhook, faults: ["channel_not_found"], status: "error", attempts: 1, detail: /^webhook answered HTTP 404: channel_not_found$/ },
    { name: "webhook rate limit, then accepted", day: "2024-07-18", slack: webhook, faults: ["ratelimited"], status: "sent", attempts: 2, detail: null },
  ];

  it.each(cases)("$name", async (c) => {
    slack.script(c.faults);
    if (c.retryAfter) slack.retryAfter = c.retryAfter;
    const r = await runFlow(backfill, input(c.day), engine(c.slack()));
    expect(r.status).toBe("success");
    expect(r.error).toBeUndefined();
    expect((r.results.report as { status: string }).status).toBe("success");
    expect((await runRow(r.runId)).status).toBe("success");
    expect(slack.requests).toHaveLength(c.attempts);
    const [n] = await notificationsOf(r.runId);
    expect(n).toMatchObject({ kind: "summary", status: c.status, attempts: c.attempts });
    expect(n.detail).toEqual(c.detail ? expect.stringMatching(c.detail) : null);
    expect((await runRow(r.runId)).summary?.notify).toMatchObject({ status: c.status });
    // Every retry honoured Retry-After (1 s); a longer one was not waited for (attempts: 1 above).
    const waits = slack.requests.slice(1).map((q, i) => q.at - slack.requests[i].at);
    expect(waits.map((w) => w >= 950)).toEqual(Array(c.attempts - 1).fill(true));
    expect(logs.filter((l) => l.startsWith("notify_slack:"))).toEqual([expect.stringContaining(c.status === "error" ? "the run is not affected" : "notify_slack: sent the success message")]);
  });
});

describe("failure alerts (the flows' failure module)", () => {
  it("a quota stop fails the flow and posts one alert saying when and how to resume", async () => {
    const limited = await startKospoSim({ quotaAfter: 0 });
    try {
      const r = await runFlow(backfill, input("2024-07-20"), engine(bot(), limited.url));
      expect(r.status).toBe("failed");
      expect(r.error?.name).toBe("QuotaExceeded");
      expect(posts()).toHaveLength(1);
      const [req] = posts();
      expect(req.headers.authorization).toBe(`Bearer ${SIM_SLACK_TOKEN}`);
      expect(req.body.channel).toBe("#pv-alerts");
      const text = blocksText(req.body);
      expect(text).toContain(":no_entry: backfill stopped: data.go.kr daily quota exhausted");
      expect(text).toContain("*QuotaExceeded*: data.go.kr daily request quota");
      expect(text).toContain("resume tomorrow after midnight KST");
      expect(text).toContain("```pvpipe backfill --source kospo --start 2024-07-20 --end 2024-07-20 --gencd 9985 --policy missing+failed```");
      expect(req.body.text).toContain("Resume after midnight KST, when the quota resets: pvpipe backfill --source kospo --start 2024-07-20");
      expect((await runRow(r.runId)).status).toBe("failed");
      expect(await notificationsOf(r.runId)).toEqual([expect.objectContaining({ kind: "failure", alert: "quota", status: "sent", via: "api" })]);
    } finally {
      await limited.close();
    }
  });

  it("a failure alert on Windmill works without a run record: run id from WM_ROOT_FLOW_JOB_ID, job link, flow from WM_FLOW_PATH", async () => {
    const env = { WM_ROOT_FLOW_JOB_ID: "0193-wm-root-job", WM_WORKSPACE: "pv", WM_BASE_URL: "http://windmill.local:8000/", WM_FLOW_PATH: "f/pv/daily_nambu" };
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    try {
      const out = await notifySlack(db.resource, bot(), "", true, "failure", "InvalidPlanRequest", "end 2099-01-01 is later than 2024-07-30", "", "plan");
      expect(out).toMatchObject({ run_id: "0193-wm-root-job", status: "sent", alert: "failed" });
    } finally {
      vi.unstubAllEnvs();
    }
    const [req] = posts();
    const text = blocksText(req.body);
    expect(text).toContain(":x: daily_nambu failed at plan: InvalidPlanRequest");
    expect(text).toContain("<http://windmill.local:8000/run/0193-wm-root-job?workspace=pv|Windmill job>");
    expect(text).toContain("pvpipe run daily_nambu");
    expect(await notificationsOf("0193-wm-root-job")).toEqual([expect.objectContaining({ kind: "failure", alert: "failed", status: "sent" })]);
  });

  it("on Windmill the failure module closes a run a step left running", async () => {
    await startRun(db.sql, { runId: "0194-wm-running", flow: "daily_nambu", engine: "windmill", inputs: { lookback_days: 8 } });
    const out = await notifySlack(db.resource, bot(), "0194-wm-running", true, "failure", "SourceUnavailable", "KOSPO is unavailable", "");
    expect(out).toMatchObject({ status: "sent" });
    expect(await runRow("0194-wm-running")).toMatchObject({ status: "failed", error: "SourceUnavailable: KOSPO is unavailable" });
  });
});

describe("runs under Bun, as a Windmill worker runs it", () => {
  it("notify_slack posts through @slack/web-api under Bun", async () => {
    const r = await runFlow(backfill, input("2024-07-22", { slack: false }), engine(bot()));
    const call = bunCallStep();
    try {
      const out = await call(join(ROOT, "f/pv/notify_slack.ts"), [db.resource, bot({ api_url: undefined }), r.runId, true, "summary", "", "", slack.apiUrl]);
      expect(out).toMatchObject({ status: "sent", via: "api", alert: "success" });
    } finally {
      call.cleanup();
    }
    const [req] = posts();
    expect(req.headers.authorization).toBe(`Bearer ${SIM_SLACK_TOKEN}`);
    expect(req.body.text).toContain("backfill: 2024-07-22 complete");
  }, 180_000);
});

describe("pvpipe --slack", () => {
  const cli = (extra: Record<string, string>) => cliEnv({ DATABASE_URL: pgUrl(db.resource), NAMBU_API_KEY: DEFAULT_SIM_KEY, KOSPO_API_URL: kospo.url, ...extra });

  it("backfill --slack posts the report (webhook from SLACK_WEBHOOK_URL) and keeps --json output clean", async () => {
    const r = await runCli(["backfill", "--source", "kospo", "--start", "2024-07-24", "--end", "2024-07-24", "--gencd", "9985", "--slack", "--json"], cli({ SLACK_WEBHOOK_URL: slack.webhookUrl }), 220_000);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.report.status).toBe("success");
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0].path).toBe(SIM_WEBHOOK_PATH);
    expect(slack.requests[0].body.text).toContain("backfill: 2024-07-24 complete");
    expect(r.stdout + r.stderr).not.toContain("webhook-secret-part");
  }, 240_000);

  it("run <flow> --input slack=true without any Slack configuration skips with one line", async () => {
    const r = await runCli(["run", "backfill", "--input", "source=kospo", "--input", "start=2024-07-25", "--input", "end=2024-07-25", "--input", "plant=9985", "--input", "slack=true"], cli({}), 220_000);
    expect(r.code).toBe(0);
    expect(slack.requests).toHaveLength(0);
    expect(r.stderr.split("\n").filter((l) => l.includes("notify_slack:"))).toEqual([expect.stringMatching(/skipped .*Slack is not configured/)]);
  }, 240_000);
});

describe("secrets", () => {
  it("no token or webhook URL in ops tables or logs", async () => {
    const rows = await db.sql<{ t: string }[]>`
      select row_to_json(n)::text as t from ops.notifications n
      union all select row_to_json(r)::text from ops.runs r`;
    expect(rows.length).toBeGreaterThan(5);
    const all = [...rows.map((r) => r.t), ...allLogs].join("\n");
    expect(allLogs.length).toBeGreaterThan(5);
    for (const secret of [SIM_SLACK_TOKEN, WRONG_TOKEN, "webhook-secret-part"]) expect(all).not.toContain(secret);
  });
});
