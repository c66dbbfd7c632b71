// Which database the CLI uses: --db-url, else DATABASE_URL, else the embedded one under .data/.
import { join } from "node:path";
import type { PgResource } from "../../f/lib/db/resource.ts";
import { parseDatabaseUrl } from "../config/database_url.ts";
import type { Env } from "../config/env.ts";
import { defaultDataDir, startEmbedded } from "../db/embedded.ts";

export interface DatabaseHandle {
  resource: PgResource;
  /** The embedded database's read-only Grafana role (pvpipe db-url --reader). */
  reader?: PgResource;
  kind: "external" | "embedded";
  /** Set for the embedded server: whether this process started it. */
  owned: boolean;
  dataDir?: string;
  close(): Promise<void>;
}

export async function openDatabase(opts: { dbUrl?: string; env: Env; root: string; log: (s: string) => void }): Promise<DatabaseHandle> {
  if (opts.dbUrl) return external(parseDatabaseUrl(opts.dbUrl, "--db-url"));
  if (opts.env.DATABASE_URL) return external(parseDatabaseUrl(opts.env.DATABASE_URL, "DATABASE_URL"));
  const dataDir = opts.env.PVPIPE_DATA_DIR ? join(opts.env.PVPIPE_DATA_DIR, "postgres") : defaultDataDir(opts.root);
  const db = await startEmbedded({ dataDir, log: opts.log });
  return { resource: db.resource, reader: db.reader, kind: "embedded", owned: db.owned, dataDir, close: () => db.stop() };
}

function external(resource: PgResource): DatabaseHandle {
  return { resource, kind: "external", owned: false, close: async () => {} };
}
