// What every command needs: environment, database, source resources, engine options; and the
// one place that closes them.
import { config as loadDotenv } from "dotenv";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { connect, type Pool } from "../../f/lib/db/resource.ts";
import { readEnv, type Env } from "../config/env.ts";
import type { EngineOptions, StepEvent } from "../flow/engine.ts";
import { connectionProblem } from "./connection_error.ts";
import { openDatabase, type DatabaseHandle } from "./database.ts";
import type { SourceResources } from "./sources.ts";
import { writeLine } from "./terminal.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface App {
  env: Env;
  db: DatabaseHandle;
  sql: Pool;
  sources?: SourceResources;
  engine(onEvent?: (e: StepEvent) => void): EngineOptions;
  close(): Promise<void>;
}

/** A line on stderr (above the progress bar when one is drawn). */
export const log = (s: string) => writeLine(s);

export function loadEnv(): Env {
  loadDotenv({ path: join(process.cwd(), ".env"), quiet: true });
  return readEnv();
}

export async function openApp(opts: { dbUrl?: string; sources?: boolean; migrate?: boolean; pin?: boolean }): Promise<App> {
  const env = loadEnv();
  const db = await openDatabase({ dbUrl: opts.dbUrl, env, root: ROOT, log, pin: opts.pin });
  const sql = connect(db.resource, { max: 4 });
  let sources: SourceResources | undefined;
  try {
    try {
      // Loaded when needed: migrations and reference data import the asset catalog and every source.
      if (opts.migrate !== false) await (await import("../../f/lib/db/setup.ts")).ensureReady(sql);
      else await sql`select 1`;
    } catch (e) {
      throw connectionProblem(e, db.setting, db.resource) ?? e;
    }
    if (opts.sources) sources = await (await import("./sources.ts")).openSources(env, log);
  } catch (e) {
    await sql.end({ timeout: 5 });
    await db.close();
    throw e;
  }
  return {
    env,
    db,
    sql,
    sources,
    engine: (onEvent) => ({
      root: ROOT,
      resources: {
        db: db.resource,
        ...(sources ? { kospo_api: sources.kospo_api, asos_api: sources.asos_api, koen_site: sources.koen_site } : {}),
        // Empty strings when unset: f/pv/notify_slack then skips with one log line.
        slack: { token: env.SLACK_BOT_TOKEN ?? "", channel: env.SLACK_CHANNEL ?? "", webhook_url: env.SLACK_WEBHOOK_URL ?? "" },
      },
      onEvent,
    }),
    async close() {
      await sources?.close();
      await sql.end({ timeout: 5 });
      await db.close();
    },
  };
}

/** Run `fn` with an open app, closed afterwards whatever happens. */
export async function withApp<T>(opts: Parameters<typeof openApp>[0], fn: (app: App) => Promise<T>): Promise<T> {
  const app = await openApp(opts);
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
