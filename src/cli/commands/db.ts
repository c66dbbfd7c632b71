// `pvpipe db-url`, `pvpipe db start|stop|status`: the embedded database as a server with one
// address. db-url and status never start it; they say whether it runs.
import type { CliContext } from "./context.ts";
import { dbUrlOption } from "../shared_options.ts";
import type { Command } from "commander";
import { resourceToUrl } from "../../config/database_url.ts";
import { UsageError } from "../../config/errors.ts";
import { embeddedInfo, stopEmbedded, type EmbeddedInfo } from "../../db/embedded.ts";
import { loadEnv, log, openApp, ROOT } from "../app.ts";
import { embeddedDataDir, embeddedPort } from "../database.ts";

function describeState(i: EmbeddedInfo): string {
  if (i.running) {
    const users = i.users.length ? `; used by pvpipe process${i.users.length > 1 ? "es" : ""} ${i.users.join(", ")}` : "";
    return `embedded database: running on 127.0.0.1:${i.running.port} (pid ${i.running.pid}${users}${i.pinned ? "; kept up by pvpipe db start" : ""}), data in ${i.dataDir}`;
  }
  if (!i.exists) return `embedded database: not created yet (data dir ${i.dataDir}); any pvpipe command creates it`;
  return `embedded database: not running (it runs while a pvpipe command uses it; pvpipe db start keeps it up), data in ${i.dataDir}`;
}

export function registerDbCommands(program: Command, { out }: CliContext): void {
  program
    .command("db-url")
    .description("Print the database URL (password redacted) and whether the embedded database is running")
    .option("--show-secrets", "print the password too")
    .option("--reader", "the read-only Grafana role's URL (pv_grafana; embedded database)")
    .addOption(dbUrlOption())
    .action(async (o) => {
      const env = loadEnv();
      if (o.dbUrl || env.DATABASE_URL) {
        if (o.reader) throw new UsageError("--reader: the pv_grafana password is known only for the embedded database; elsewhere give the role a password (docs/GRAFANA.md)");
        const app = await openApp({ dbUrl: o.dbUrl, migrate: false });
        try {
          out(resourceToUrl(app.db.resource, Boolean(o.showSecrets)));
        } finally {
          await app.close();
        }
        return;
      }
      const info = embeddedInfo(embeddedDataDir(env, ROOT), { port: embeddedPort(env) });
      if (!info.resources) throw new UsageError(`no embedded database yet in ${info.dataDir}: pvpipe start (or pvpipe db start) creates it`);
      if (o.reader && !info.resources.reader) {
        throw new UsageError("--reader: the pv_grafana password is known only for an embedded database made by this version; elsewhere give the role a password (docs/GRAFANA.md)");
      }
      out(resourceToUrl(o.reader ? info.resources.reader! : info.resources.resource, Boolean(o.showSecrets)));
      log(describeState(info));
    });

  const db = program.command("db").description("The embedded database server: start (and keep up), stop, status");
  db.command("status")
    .description("Whether the embedded database runs, where, and which pvpipe processes use it")
    .action(() => {
      const env = loadEnv();
      out(describeState(embeddedInfo(embeddedDataDir(env, ROOT), { port: embeddedPort(env) })));
    });
  db.command("start")
    .description("Start the embedded database and keep it up after this command (until pvpipe db stop)")
    .action(async () => {
      const env = loadEnv();
      if (env.DATABASE_URL) throw new UsageError("DATABASE_URL is set: pvpipe uses that database, not the embedded one");
      const app = await openApp({ pin: true });
      try {
        out(resourceToUrl(app.db.resource));
      } finally {
        await app.close();
      }
      log(describeState(embeddedInfo(embeddedDataDir(env, ROOT), { port: embeddedPort(env) })));
    });
  db.command("stop")
    .description("Stop the embedded database (refused while other pvpipe processes use it, unless --force)")
    .option("--force", "stop it even while other pvpipe processes use it (they fail)")
    .action(async (o) => {
      const env = loadEnv();
      const dataDir = embeddedDataDir(env, ROOT);
      const r = await stopEmbedded(dataDir, { force: Boolean(o.force) });
      if (!r.stopped && r.users.length) {
        throw new UsageError(`the embedded database is in use by pvpipe process${r.users.length > 1 ? "es" : ""} ${r.users.join(", ")}; it stops when the last one ends (--force stops it now)`);
      }
      out(r.stopped ? `embedded database stopped (data in ${dataDir})` : `embedded database was not running (data in ${dataDir})`);
    });
}
