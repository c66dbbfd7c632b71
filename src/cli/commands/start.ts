// `pvpipe start` (npm start): the local equivalent of `dagster dev`. Database up, migrations and
// plants, catch-up of the last days, status, then the schedules until Ctrl-C.
import { shutdownSignal } from "../../../f/lib/runtime/shutdown.ts";
import { addDays, addMonths, formatKst, monthStart, todayKst, yesterdayKst } from "../../../f/lib/time/kst.ts";
import { backfill } from "../../../flows/backfill.ts";
import { flowById } from "../../../flows/index.ts";
import { SCHEDULES } from "../../../schedules/index.ts";
import { resourceToUrl } from "../../config/database_url.ts";
import { UsageError } from "../../config/errors.ts";
import { loadEnv, log, openApp } from "../app.ts";
import { nextRun, runSchedules } from "../schedule_loop.ts";
import { collectStatus, renderStatus } from "../status_view.ts";
import { describeReport, runFlowWithProgress } from "./flow_run.ts";
import { startAppUi, uiPort } from "../../ui/cli.ts";
import type { UiServer } from "../../ui/start_ui.ts";

export async function startCommand(o: { once: boolean; days: number; dbUrl?: string; debug: boolean; ui?: boolean; uiPort?: string }): Promise<number> {
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 3660) throw new UsageError("--days must be a whole number from 1 to 3660");
  const port = !o.once && o.ui !== false ? uiPort(o.uiPort, loadEnv()) : null;
  const app = await openApp({ dbUrl: o.dbUrl, sources: true });
  const say = (s: string) => process.stdout.write(`${s}\n`);
  let exitCode = 0;
  let ui: UiServer | null = null;
  try {
    say(app.db.kind === "embedded"
      ? `database: embedded PostgreSQL (${app.db.owned ? "started" : "already running"}, data in ${app.db.dataDir})`
      : "database: external (DATABASE_URL / --db-url)");
    // The web UI first, so the catch-up can be watched there (not with --once: nothing would stay to look at).
    if (port !== null) ui = await startUiOrSay(app, port, say);
    const end = yesterdayKst();
    const start = addDays(end, -(o.days - 1));
    say(`catch-up: every missing or failed partition from ${start} to ${end}`);
    const r = await runFlowWithProgress(app, backfill, { source: "kospo", start, end, policy: "missing+failed" }, { json: false, debug: o.debug, resume: "pvpipe start" });
    say(describeReport(r.report));
    exitCode = r.exitCode;
    if (!shutdownSignal.aborted) {
      // Weather for the same window, for the stations matched to plants (pv_weather_hourly needs them).
      const w = await runFlowWithProgress(app, backfill, { source: "asos", start, end, policy: "missing+failed" }, { json: false, debug: o.debug, resume: "pvpipe start" });
      say(describeReport(w.report));
      exitCode = Math.max(exitCode, w.exitCode);
    }
    // KOEN publishes whole months: the last full calendar month (plus any partial/failed one in it).
    const thisMonth = monthStart(todayKst());
    const koenWindow = { start: addMonths(thisMonth, -1), end: addDays(thisMonth, -1) };
    if (!shutdownSignal.aborted) {
      say(`catch-up: KOEN month ${koenWindow.start.slice(0, 7)} if missing, failed or partial`);
      const k = await runFlowWithProgress(app, backfill, { source: "koen", ...koenWindow, policy: "missing+failed", parallelism: 1 }, { json: false, debug: o.debug, resume: "pvpipe start" });
      say(describeReport(k.report));
      exitCode = Math.max(exitCode, k.exitCode);
    }
    if (!shutdownSignal.aborted) {
      // Weather for the KOEN month too, so KOEN plants join to weather in pv_weather_hourly
      // (one or two requests per mapped station; days already loaded are skipped).
      say(`catch-up: weather for the KOEN month ${koenWindow.start.slice(0, 7)}`);
      const kw = await runFlowWithProgress(app, backfill, { source: "asos", ...koenWindow, policy: "missing+failed" }, { json: false, debug: o.debug, resume: "pvpipe start" });
      say(describeReport(kw.report));
      exitCode = Math.max(exitCode, kw.exitCode);
    }
    // The same counts as `pvpipe status` over the window (monthly assets: their ended months).
    say(renderStatus(await collectStatus(app.sql, { start, end }), { start, end }, Boolean(process.stdout.isTTY)));
    say(`database URL: ${resourceToUrl(app.db.resource)}  (full URL: npx pvpipe db-url --show-secrets)`);
    if (app.db.kind === "embedded" && o.once) say("(the embedded database stops with the last pvpipe command; pvpipe db start keeps it up at this address)");
    if (app.sources?.synthetic.length) say(`NOTE: ${app.sources.synthetic.join(", ")} data above is synthetic (simulator); set the API keys in .env for real data.`);
    if (o.once || shutdownSignal.aborted) return exitCode;

    // Keep serving: the flows fire on the same cron strings and zone as the Windmill schedules.
    for (const s of SCHEDULES) {
      const next = nextRun(s);
      say(`schedule ${s.cron} (${s.timezone}): next ${next ? `${formatKst(next)} KST` : "never"}`);
    }
    say("running; Ctrl-C stops everything cleanly");
    await runSchedules(
      SCHEDULES,
      async (s) => {
        const flow = flowById(s.flow);
        if (!flow) return;
        say(`schedule ${s.id}: starting ${s.flow}`);
        const res = await runFlowWithProgress(app, flow, s.args, { json: false, debug: o.debug, resume: "pvpipe start" });
        say(describeReport(res.report));
      },
      shutdownSignal,
    );
    log("stopped");
    return 0;
  } finally {
    await ui?.close();
    await app.close();
  }
}

/** The UI, or one line saying why not (a taken port does not stop the pipeline). */
async function startUiOrSay(app: Awaited<ReturnType<typeof openApp>>, port: number, say: (s: string) => void): Promise<UiServer | null> {
  try {
    const ui = await startAppUi(app, port);
    say(`UI: ${ui.url}`);
    return ui;
  } catch (e) {
    if ((e as Error).name !== "ChooseAnotherUiPort") throw e;
    say(`UI not started: ${(e as Error).message}`);
    return null;
  }
}
