import { describe, expect, it } from "vitest";
import { buildMessage, classify, formatDuration, type Block, type MessageInput } from "../../f/lib/notify/message.ts";
import type { RunReport } from "../../f/lib/store/run_report.ts";
import { reportFixture } from "../helpers/run_report.ts";

const report = reportFixture;

const local = { kind: "local" } as const;
const build = (over: Partial<MessageInput> & { report: RunReport }) => buildMessage({ kind: "summary", engine: local, ...over });

/** Every mrkdwn/plain text of the blocks. */
function blockText(blocks: Block[]): string {
  return blocks
    .map((b) => {
      if (b.type === "header") return b.text.text;
      if (b.type === "section") return b.text ? b.text.text : b.fields!.map((f) => f.text).join("\n");
      if (b.type === "context") return b.elements.map((e) => e.text).join("\n");
      return "";
    })
    .join("\n");
}

function assertSlackLimits(blocks: Block[], text: string) {
  expect(blocks.length).toBeLessThanOrEqual(50);
  expect(text.length).toBeLessThan(40_000);
  for (const b of blocks) {
    if (b.type === "header") expect(b.text.text.length).toBeLessThanOrEqual(150);
    if (b.type === "section" && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    if (b.type === "section" && b.fields) {
      expect(b.fields.length).toBeLessThanOrEqual(10);
      for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
    }
  }
}

describe("Slack run message", () => {
  it("success summary: flow, period, outcomes per asset, rows, duration, engine; no resume command", () => {
    const m = build({ report: report() });
    expect(m.alert).toBe("success");
    expect(m.resume).toBeNull();
    expect(m.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: ":white_check_mark: backfill: 2024-06-01 complete", emoji: true } });
    const all = blockText(m.blocks);
    expect(all).toContain("`kospo/hourly`: 18 materialized · 0 empty · 0 failed · 0 skipped (blocking check) · 432 rows");
    expect(all).toMatch(/\*Rows written\*\n432/);
    expect(all).toMatch(/\*Duration\*\n3m 12s/);
    expect(all).toMatch(/\*Engine\*\nlocal engine/);
    expect(all).toContain("run `run-1` · started 2024-06-11 09:30 KST");
    // The plain-text fallback says the same.
    expect(m.text).toContain("backfill: 2024-06-01 complete");
    expect(m.text).toContain("Rows written: 432");
    expect(m.text).toContain("- `kospo/hourly`: 18 materialized");
    expect(m.text).not.toMatch(/resume/i);
    assertSlackLimits(m.blocks, m.text);
  });

  it("partial: names the failed partitions once each (first error) and gives the exact resume command", () => {
    const r = report({
      status: "partial",
      inputs: { source: "kospo", start: "2024-06-01", end: "2024-06-10", plant: "8760", unit: 1, policy: "missing" },
      plan: { source: "kospo", asset: "kospo/hourly", start: "2024-06-01", end: "2024-06-10", policy: "missing", partitions: 10, chunks: 1 },
      assets: [
        { asset: "kospo/hourly", success: 9, empty: 0, failed: 1, rows: 216, blocked: 0 },
        { asset: "kospo/raw", success: 9, empty: 0, failed: 1, rows: 9, blocked: 0 },
      ],
      failures: [
        { asset: "kospo/hourly", partition: "2024-06-05|8760-1", error: "SourceReturnedHtml: KOSPO returned an HTML page <html>" },
        { asset: "kospo/raw", partition: "2024-06-05|8760-1", error: "SourceReturnedHtml: KOSPO returned an HTML page <html>" },
      ],
      failed_total: 2,
      failed_partitions: 1,
    });
    const m = build({ report: r });
    expect(m.alert).toBe("partial");
    expect(m.blocks[0].type === "header" && m.blocks[0].text.text).toBe(":warning: backfill: 1 partition failed (2024-06-01 – 2024-06-10)");
    const all = blockText(m.blocks);
    expect(all).toContain("*Failed partitions* (1)\n• 8760-1 2024-06-05 (`kospo/hourly`, `kospo/raw`): SourceReturnedHtml: KOSPO returned an HTML page &lt;html&gt;");
    expect(m.resume).toBe("pvpipe backfill --source kospo --start 2024-06-01 --end 2024-06-10 --gencd 8760 --hogi 1 --policy failed");
    expect(all).toContain("```pvpipe backfill --source kospo --start 2024-06-01 --end 2024-06-10 --gencd 8760 --hogi 1 --policy failed```");
    expect(m.text).toContain("Resume with: pvpipe backfill --source kospo --start 2024-06-01 --end 2024-06-10 --gencd 8760 --hogi 1 --policy failed");
    expect(all).toMatch(/incomplete/);
    assertSlackLimits(m.blocks, m.text);
  });

  it("a run that collected nothing where data was expected is an alert, not a success", () => {
    const r = report({
      assets: [
        { asset: "kospo/hourly", success: 0, empty: 18, failed: 0, rows: 0, blocked: 0 },
        { asset: "kospo/raw", success: 0, empty: 18, failed: 0, rows: 0, blocked: 0 },
      ],
    });
    const m = build({ report: r });
    expect(classify({ kind: "summary", report: r })).toBe("nothing_collected");
    expect(m.alert).toBe("nothing_collected");
    const all = blockText(m.blocks);
    expect(all).toContain(":rotating_light: backfill: nothing collected for 2024-06-01");
    expect(all).toContain("18 partitions were expected and *none was materialized* (18 empty, 0 failed)");
    expect(all).not.toMatch(/complete|완료/);
    // 'empty' counts as loaded, so only --policy all asks the source again.
    expect(m.resume).toBe("pvpipe backfill --source kospo --start 2024-06-01 --end 2024-06-01 --policy all");
    expect(m.text).toContain("nothing collected");
  });

  it("nothing planned (everything already loaded) is a quiet summary", () => {
    const r = report({ assets: [], plan: { source: "kospo", asset: "kospo/hourly", start: "2024-06-01", end: "2024-06-01", policy: "missing", partitions: 0, chunks: 0 } });
    const m = build({ report: r });
    expect(m.alert).toBe("nothing_to_do");
    expect(m.resume).toBeNull();
    expect(m.text).toContain("nothing to load for 2024-06-01");
  });

  it("quota stop: says when to resume and gives the command that loads the failed and unreached partitions", () => {
    const message = "data.go.kr daily request quota for the key in NAMBU_API_KEY is exhausted (LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR, reason 22): resume tomorrow after midnight KST by running the same command again; days already fetched are kept";
    const r = report({
      status: "failed",
      error: `QuotaExceeded: ${message}`,
      inputs: { lookback_days: 8, parallelism: 4, slack: true },
      plan: { source: "kospo", asset: "kospo/hourly", start: "2024-06-03", end: "2024-06-10", policy: "missing+failed", partitions: 144, chunks: 18 },
      flow: "daily_nambu",
      assets: [{ asset: "kospo/raw", success: 24, empty: 0, failed: 0, rows: 24, blocked: 0 }],
    });
    const m = build({ kind: "failure", report: r, error: { name: "QuotaExceeded", message, step: "kospo_collect" } });
    expect(m.alert).toBe("quota");
    const all = blockText(m.blocks);
    expect(all).toContain(":no_entry: daily_nambu stopped: data.go.kr daily quota exhausted");
    expect(all).toContain("*QuotaExceeded*: data.go.kr daily request quota");
    expect(all).toContain("resume tomorrow after midnight KST");
    expect(all).toContain("*Resume after midnight KST, when the quota resets:*");
    expect(m.resume).toBe("pvpipe backfill --source kospo --start 2024-06-03 --end 2024-06-10 --policy missing+failed");
    expect(all).toContain("The next scheduled run also retries missing and failed days");
    expect(m.text).toContain("QuotaExceeded: data.go.kr daily request quota");
    // The same outcome is read from the run record when the error is not passed in.
    expect(buildMessage({ kind: "failure", report: r, engine: local }).alert).toBe("quota");
  });

  it("failure on Windmill: links the job and gives the backfill form input", () => {
    const r = report({ status: "failed", engine: "windmill", inputs: { source: "asos", start: "2024-06-01", end: "2024-06-02", stations: [108, 255], policy: "missing" }, plan: null });
    const m = buildMessage({
      kind: "failure",
      report: r,
      error: { name: "SourceUnavailable", message: "ASOS is unavailable", step: "asos_collect" },
      engine: { kind: "windmill", url: "https://wm.example/run/0192?workspace=pv" },
    });
    expect(m.alert).toBe("failed");
    const all = blockText(m.blocks);
    expect(all).toContain(":x: backfill failed at asos_collect: SourceUnavailable");
    expect(all).toContain("<https://wm.example/run/0192?workspace=pv|Windmill job>");
    expect(m.resume).toBe("pvpipe run backfill --input source=asos --input start=2024-06-01 --input end=2024-06-02 --input stations=[108,255] --input policy=missing+failed");
    expect(all).toContain('run the `f/pv/backfill` flow with `{"source":"asos","start":"2024-06-01","end":"2024-06-02","stations":[108,255],"policy":"missing+failed"}`');
    expect(m.text).toContain("https://wm.example/run/0192?workspace=pv");
  });

  it("a flow that failed before planning is resumed by running it again with its inputs", () => {
    const r = report({ flow: "daily_nambu", status: "failed", assets: [], plan: null, inputs: { lookback_days: 8, parallelism: 4, slack: true } });
    const m = buildMessage({ kind: "failure", report: r, error: { name: "InvalidPlanRequest", message: "bad" }, engine: local });
    expect(m.resume).toBe("pvpipe run daily_nambu --input lookback_days=8 --input parallelism=4 --input slack=true");
    expect(blockText(m.blocks)).toContain("no period");
  });

  it("lists the top five failing checks, errors first, with plant and day, and counts the rest", () => {
    const c = { day: null, unit: null, blocking: false };
    const top = [
      { ...c, asset: "kospo/hourly", partition: "2024-06-01|997S-1", check_name: "night_generation", severity: "error", blocking: true, message: "generation 12.5 kWh at 02:00 with the sun below the horizon" },
      { ...c, asset: "kospo/hourly", partition: "2024-06-01|997S-2", check_name: "night_generation", severity: "error", blocking: true, message: "generation 3 kWh at 23:00" },
      { ...c, asset: "kospo/hourly", partition: "2024-06-02|997S-1", check_name: "hours_complete", severity: "error", message: "22 of 24 hours" },
      // A monthly KOEN partition: the result names its plant-day.
      { ...c, asset: "koen/hourly", partition: "2024-06", check_name: "zero_day", severity: "warn", day: "2024-06-14", unit: "삼천포태양광 6", message: "all 24 hours are 0" },
      { ...c, asset: "kospo/hourly", partition: "2024-06-02|9985-1", check_name: "daily_total", severity: "warn", message: "daily total differs by 2%" },
    ];
    const r = report({
      status: "partial",
      assets: [{ asset: "kospo/hourly", success: 18, empty: 0, failed: 0, rows: 432, blocked: 3 }],
      checks: { failed: 7, top },
    });
    const m = build({ report: r });
    expect(m.alert).toBe("partial");
    const all = blockText(m.blocks);
    const section = all.slice(all.indexOf("*Failing checks* (7)"));
    const lines = section.split("\n").filter((l) => l.startsWith("• "));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe("• 997S-1 2024-06-01 `night_generation` (error, blocking, kospo/hourly): generation 12.5 kWh at 02:00 with the sun below the horizon");
    expect(lines[2]).toBe("• 997S-1 2024-06-02 `hours_complete` (error, kospo/hourly): 22 of 24 hours");
    expect(lines[3]).toBe("• 삼천포태양광 6 2024-06-14 `zero_day` (warn, koen/hourly): all 24 hours are 0");
    expect(section).toContain("… and 2 more");
    expect(all).toContain("3 skipped (blocking check)");
    // Held back by checks only: the data needs a look, a reload would not change it.
    expect(m.resume).toBeNull();
    expect(m.text).toContain("Failing checks (7):");
  });

  it("stays within Slack's limits for long errors and many failures", () => {
    const failures = Array.from({ length: 20 }, (_, i) => ({ asset: "kospo/hourly", partition: `2024-06-${String(i + 1).padStart(2, "0")}|997S-1`, error: "x".repeat(5000) }));
    const r = report({ status: "partial", failures, failed_total: 200, failed_partitions: 200, assets: [{ asset: "kospo/hourly", success: 1, empty: 0, failed: 200, rows: 24, blocked: 0 }] });
    const m = buildMessage({ kind: "summary", report: r, engine: local, error: null });
    const all = blockText(m.blocks);
    expect(all).toContain("… and 195 more");
    assertSlackLimits(m.blocks, m.text);
    const long = buildMessage({ kind: "failure", report: r, engine: local, error: { name: "Error", message: "y".repeat(10_000) } });
    assertSlackLimits(long.blocks, long.text);
  });

  it("formats durations", () => {
    expect(formatDuration(12)).toBe("12s");
    expect(formatDuration(192)).toBe("3m 12s");
    expect(formatDuration(3720)).toBe("1h 02m");
    expect(formatDuration(null)).toBe("unknown");
  });
});
