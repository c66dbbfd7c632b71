// Which database the CLI uses: --db-url, else DATABASE_URL, else the embedded one under .data/.
import { join, resolve } from "node:path";
import { z } from "zod";
import type { PgResource } from "../../f/lib/db/resource.ts";
import { parseDatabaseUrl } from "../config/database_url.ts";
import type { Env } from "../config/env.ts";
import { ConfigError } from "../config/errors.ts";
import { defaultDataDir, startEmbedded } from "../db/embedded.ts";

export interface DatabaseHandle {
  resource: PgResource;
  /** The embedded database's read-only Grafana role (pvpipe db-url --reader). */
  reader?: PgResource;
  kind: "external" | "embedded";
  /** Set for the embedded server: whether this process started it. */
  owned: boolean;
  dataDir?: string;
  /** The setting a person changes when this database cannot be reached (named in errors). */
  setting: string;
  close(): Promise<void>;
}

const portSchema = z.coerce.number({ message: "PVPIPE_DB_PORT must be a port number" }).int("PVPIPE_DB_PORT must be a whole number").min(1, "PVPIPE_DB_PORT must be from 1 to 65535").max(65535, "PVPIPE_DB_PORT must be from 1 to 65535");

/** PVPIPE_DB_PORT, validated; undefined when unset. */
export function embeddedPort(env: Env): number | undefined {
  if (env.PVPIPE_DB_PORT === undefined) return undefined;
  const r = portSchema.safeParse(env.PVPIPE_DB_PORT);
  if (!r.success) throw new ConfigError(`${r.error.issues[0].message} (got ${JSON.stringify(env.PVPIPE_DB_PORT)})`);
  return r.data;
}

/** The embedded database's data dir: PVPIPE_DATA_DIR/postgres, else .data/postgres in the project. */
export function embeddedDataDir(env: Env, root: string): string {
  return env.PVPIPE_DATA_DIR ? resolve(join(env.PVPIPE_DATA_DIR, "postgres")) : defaultDataDir(root);
}

export async function openDatabase(opts: { dbUrl?: string; env: Env; root: string; log: (s: string) => void; pin?: boolean }): Promise<DatabaseHandle> {
  if (opts.dbUrl) return external(parseDatabaseUrl(opts.dbUrl, "--db-url"), "--db-url");
  if (opts.env.DATABASE_URL) return external(parseDatabaseUrl(opts.env.DATABASE_URL, "DATABASE_URL"), "DATABASE_URL");
  const port = embeddedPort(opts.env);
  const dataDir = embeddedDataDir(opts.env, opts.root);
  const db = await startEmbedded({ dataDir, port, pin: opts.pin, setting: opts.env.PVPIPE_DATA_DIR ? "PVPIPE_DATA_DIR" : "the data dir (PVPIPE_DATA_DIR)", log: opts.log });
  return {
    resource: db.resource,
    reader: db.reader,
    kind: "embedded",
    owned: db.owned,
    dataDir,
    setting: port !== undefined ? "PVPIPE_DB_PORT" : `the embedded database (${dataDir})`,
    close: () => db.stop(),
  };
}

function external(resource: PgResource, setting: string): DatabaseHandle {
  return { resource, kind: "external", owned: false, setting, close: async () => {} };
}
