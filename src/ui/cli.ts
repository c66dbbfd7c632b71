// The UI's command-line wiring: `pvpipe ui` (the UI alone, against the configured database) and
// the port setting `pvpipe start` shares (--ui-port, else PVPIPE_UI_PORT, else 3300; 0 = any free port).
import type { CliContext } from "../cli/commands/context.ts";
import { dbUrlOption } from "../cli/shared_options.ts";
import type { Command } from "commander";
import { z } from "zod";
import { shutdownSignal } from "../../f/lib/runtime/shutdown.ts";
import type { Env } from "../config/env.ts";
import { ConfigError, UsageError } from "../config/errors.ts";
import type { App } from "../cli/app.ts";
import { loadEnv, log, openApp } from "../cli/app.ts";
import { DEFAULT_UI_PORT, startUi, type UiServer } from "./start_ui.ts";

const port = z.coerce.number({ message: "must be a port number" }).int("must be a whole number").min(0, "must be from 0 to 65535").max(65535, "must be from 0 to 65535");

/** The UI's port: --ui-port, else PVPIPE_UI_PORT, else 3300. */
export function uiPort(flag: string | undefined, env: Env): number {
  const [value, name] = flag !== undefined ? [flag, "--ui-port"] : env.PVPIPE_UI_PORT !== undefined ? [env.PVPIPE_UI_PORT, "PVPIPE_UI_PORT"] : [String(DEFAULT_UI_PORT), "default"];
  const r = port.safeParse(value);
  if (!r.success) {
    const message = `${name} ${r.error.issues[0].message} (got ${JSON.stringify(value)})`;
    throw name === "--ui-port" ? new UsageError(message) : new ConfigError(message);
  }
  return r.data;
}

/** Every secret of this configuration, so no page ever shows one. */
function secretsOf(app: App): (string | undefined)[] {
  const e = app.env;
  return [e.NAMBU_API_KEY, e.DATA_GO_KR_API_KEY, e.ASOS_API_KEY, e.SLACK_BOT_TOKEN, e.SLACK_WEBHOOK_URL, e.WM_TOKEN, app.db.reader?.password, app.sources?.kospo_api.service_key, app.sources?.asos_api.service_key];
}

/** The UI of an opened app, launching through its engine. */
export function startAppUi(app: App, port: number): Promise<UiServer> {
  return startUi({ db: app.db.resource, port, log, engine: () => app.engine(), secrets: secretsOf(app) });
}

export function registerUiCommand(program: Command, { out }: CliContext): void {
  program
    .command("ui")
    .description(`Serve the local web UI on 127.0.0.1 (default port ${DEFAULT_UI_PORT}) against the configured database, until Ctrl-C`)
    .option("--ui-port <port>", `port on 127.0.0.1 (default: PVPIPE_UI_PORT, else ${DEFAULT_UI_PORT}; 0 = any free port)`)
    .addOption(dbUrlOption())
    .action(async (o: { uiPort?: string; dbUrl?: string }) => {
      const port = uiPort(o.uiPort, loadEnv());
      const app = await openApp({ dbUrl: o.dbUrl, sources: true });
      try {
        const ui = await startAppUi(app, port);
        out(`UI: ${ui.url}  (Ctrl-C stops it)`);
        await new Promise<void>((resolve) => (shutdownSignal.aborted ? resolve() : shutdownSignal.addEventListener("abort", () => resolve(), { once: true })));
        await ui.close();
      } finally {
        await app.close();
      }
    });
}
