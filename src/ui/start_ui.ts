// Start and stop the local UI on 127.0.0.1: its own database pool, this start's token, the
// bundled assets (built now if the install did not), and a launcher that runs flows through the
// engine in this process. `pvpipe start` and `pvpipe ui` both start it here.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { ASSETS } from "../../f/lib/assets/catalog.ts";
import { DIMENSION_RESOLVERS } from "../../f/lib/assets/dimensions.ts";
import type { AssetDef } from "../../f/lib/assets/graph.ts";
import { keyDimensions } from "../../f/lib/assets/partitions.ts";
import { connect, type PgResource, type Sql } from "../../f/lib/db/resource.ts";
import type { DimKey } from "../../f/lib/store/partition_states.ts";
import type { EngineOptions } from "../flow/engine.ts";
import { ensureClientBundle, loadStaticFiles } from "./build.ts";
import { createUiApp } from "./server/app.ts";
import type { UiContext } from "./server/context.ts";
import { ChooseAnotherUiPort } from "./server/errors.ts";
import { createLauncher } from "./server/launcher.ts";
import { newToken } from "./server/security.ts";

export const DEFAULT_UI_PORT = 3300;

export interface UiServer {
  url: string;
  port: number;
  /** Stop serving, end live streams, wait for the runs launched here, close the pool. */
  close(): Promise<void>;
}

/** Keys of an asset's one key dimension, as `pvpipe status` resolves them. */
export async function catalogDimKeys(sql: Sql, asset: AssetDef): Promise<DimKey[] | null> {
  const dims = keyDimensions(asset.partitions);
  if (dims.length === 0) return null;
  const d = dims[0];
  if (d.kind === "static") return d.keys.map((key) => ({ key }));
  const resolve = DIMENSION_RESOLVERS[d.name];
  if (!resolve) throw new Error(`no resolver for the partition dimension ${d.name}`);
  return resolve(sql);
}

/** A redactor for every secret this process knows: what the UI shows passes through it. */
export function redactor(secrets: (string | undefined)[]): (text: string) => string {
  const known = [...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= 4))].sort((a, b) => b.length - a.length);
  const forms = known.flatMap((s) => [s, encodeURIComponent(s)]);
  return (text) => forms.reduce((t, s) => t.split(s).join("***"), text);
}

export async function startUi(o: {
  db: PgResource;
  port: number;
  log: (line: string) => void;
  /** Engine options for launching; absent: the UI only reads. */
  engine?: () => EngineOptions;
  secrets?: (string | undefined)[];
  assets?: readonly AssetDef[];
  dimKeys?: (sql: Sql, asset: AssetDef) => Promise<DimKey[] | null>;
}): Promise<UiServer> {
  await ensureClientBundle(o.log);
  const statics = loadStaticFiles();
  const sql = connect(o.db, { max: 6 });
  const stop = new AbortController();
  const launcher = o.engine ? createLauncher(o.engine, o.log) : null;
  let port: number | null = null;
  const ctx: UiContext = {
    sql,
    assets: o.assets ?? ASSETS,
    dimKeys: (a) => (o.dimKeys ?? catalogDimKeys)(sql, a),
    token: newToken(),
    launcher,
    stop: stop.signal,
    log: o.log,
    redact: redactor([o.db.password, ...(o.secrets ?? [])]),
  };
  const app = createUiApp(ctx, { port: () => port, statics });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: o.port, hostname: "127.0.0.1" });
    s.once("listening", () => resolve(s));
    s.once("error", (e: NodeJS.ErrnoException) => reject(e.code === "EADDRINUSE" || e.code === "EACCES" ? new ChooseAnotherUiPort(o.port, { cause: e }) : e));
  }).catch(async (e) => {
    await sql.end({ timeout: 5 });
    throw e;
  });
  port = (server.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    async close() {
      if (closed) return;
      closed = true;
      stop.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await launcher?.settle();
      await sql.end({ timeout: 5 });
    },
  };
}
