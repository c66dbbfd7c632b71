// DATABASE_URL / --db-url → the postgresql resource, with a message that names what was wrong.
import type { PgResource } from "../../f/lib/db/resource.ts";
import { ConfigError } from "./errors.ts";

export function parseDatabaseUrl(url: string, source: string): PgResource {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(`${source} is not a valid URL (expected postgres://user:password@host:5432/dbname)`);
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
    throw new ConfigError(`${source} must start with postgres:// or postgresql:// (got ${u.protocol}//)`);
  }
  const dbname = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (!u.hostname || !dbname) throw new ConfigError(`${source} needs a host and a database name`);
  const port = u.port ? Number(u.port) : 5432;
  return {
    host: u.hostname,
    port,
    user: decodeURIComponent(u.username || "postgres"),
    password: decodeURIComponent(u.password),
    dbname,
    sslmode: u.searchParams.get("sslmode") ?? "prefer",
  };
}

export function resourceToUrl(r: PgResource, showSecrets = false): string {
  const pw = r.password ? `:${showSecrets ? encodeURIComponent(r.password) : "***"}` : "";
  return `postgres://${encodeURIComponent(r.user)}${pw}@${r.host}:${r.port}/${encodeURIComponent(r.dbname)}${
    r.sslmode ? `?sslmode=${r.sslmode}` : ""
  }`;
}
