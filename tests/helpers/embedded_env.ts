// An embedded database of a test's own: its own data dir and port, so a test never meets a
// developer's server on the default port, nor another test file's (two run in parallel).
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, stopEmbedded } from "../../src/db/embedded.ts";
import { cliEnv } from "./cli.ts";

export interface EmbeddedEnv {
  base: string;
  dataDir: string;
  port: number;
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export async function embeddedEnv(extra: Record<string, string> = {}): Promise<EmbeddedEnv> {
  const base = mkdtempSync(join(tmpdir(), "pvpipe-emb-"));
  chmodSync(base, 0o755); // as root the server runs as the postgres user, which must reach it
  const port = await freePort();
  return {
    base,
    dataDir: join(base, "postgres"),
    port,
    env: cliEnv({ PVPIPE_DATA_DIR: base, PVPIPE_DB_PORT: String(port), ...extra }),
    async cleanup() {
      await stopEmbedded(join(base, "postgres"), { force: true }).catch(() => undefined);
      rmSync(base, { recursive: true, force: true });
    },
  };
}
