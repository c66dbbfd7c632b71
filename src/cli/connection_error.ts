// A database that cannot be reached is named with the setting to check and its host, never with
// its password: `cannot connect to PostgreSQL at db.example:5432 (DATABASE_URL): connection refused`.
import type { PgResource } from "../../f/lib/db/resource.ts";
import { ConfigError } from "../config/errors.ts";

export class CheckDatabaseSetting extends ConfigError {
  constructor(setting: string, db: PgResource, reason: string, options?: { cause?: unknown }) {
    super(`cannot connect to PostgreSQL at ${db.host}:${db.port}, database ${db.dbname} (${setting}): ${reason}`, options);
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused (no server listens there)",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found (DNS)",
  ETIMEDOUT: "connection timed out",
  CONNECT_TIMEOUT: "connection timed out",
  ECONNRESET: "the connection was reset",
  EHOSTUNREACH: "host unreachable",
  "28P01": "password authentication failed",
  "28000": "the server refuses this user or address (pg_hba.conf)",
  "3D000": "the database does not exist",
  "57P03": "the server is starting up or shutting down",
};

/** The connection problem in `e`, as a CheckDatabaseSetting; null when `e` is something else. */
export function connectionProblem(e: unknown, setting: string, db: PgResource): CheckDatabaseSetting | null {
  const code = (e as { code?: string }).code ?? "";
  const reason = REASONS[code];
  return reason ? new CheckDatabaseSetting(setting, db, reason, { cause: e }) : null;
}
