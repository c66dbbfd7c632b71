// One PostgreSQL for the whole suite: TEST_DATABASE_URL when given, else an embedded server in
// a throw-away directory. Each test file then creates its own database (tests/helpers/db.ts).
import { mkdirSync, rmSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import type { PgResource } from "../../f/lib/db/resource.ts";
import { parseDatabaseUrl } from "../../src/config/database_url.ts";
import { freePort, startEmbedded } from "../../src/db/embedded.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdmin: PgResource;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide("pgAdmin", parseDatabaseUrl(process.env.TEST_DATABASE_URL, "TEST_DATABASE_URL"));
    return;
  }
  // Directly under the system temp dir (world-traversable), so a root-run server can reach it.
  const base = join(tmpdir(), `pvpipe-test-${process.pid}`);
  mkdirSync(base, { recursive: true });
  chmodSync(base, 0o755);
  // Its own port: the suite never meets a developer's server on the default port.
  const db = await startEmbedded({ dataDir: join(base, "pg"), port: await freePort() });
  project.provide("pgAdmin", db.admin); // the superuser: test files create their own databases
  return async () => {
    await db.stop();
    rmSync(base, { recursive: true, force: true });
  };
}
