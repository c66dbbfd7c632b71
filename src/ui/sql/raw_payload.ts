// The stored raw payloads of a partition (raw.* tables: exact answers of the sources, never
// edited). One query per raw table; the table comes from the asset catalog, never from input.
import type { Sql } from "../../../f/lib/db/resource.ts";

export interface RawFetch {
  id: number;
  run_id: string;
  outcome: string;
  fetched_at: Date;
  error: string | null;
  /** The payload as stored (JSON items), or for a file its metadata. */
  payload: unknown;
  /** A stored file body that can be downloaded (KOEN CSV). */
  file: { bytes: number; sha256: string | null; partial: boolean } | null;
}

export const RAW_TABLES = ["raw.kospo_items", "raw.asos_items", "raw.koen_files"] as const;

export async function rawFetches(sql: Sql, table: string, partition: string, limit = 20): Promise<RawFetch[]> {
  switch (table) {
    case "raw.kospo_items":
      return sql<RawFetch[]>`
        select id::int as id, run_id, outcome, fetched_at, error, item as payload, null::jsonb as file
        from raw.kospo_items where partition = ${partition} order by id desc limit ${limit}`;
    case "raw.asos_items":
      return sql<RawFetch[]>`
        select id::int as id, run_id, outcome, fetched_at, error, items as payload, null::jsonb as file
        from raw.asos_items where partition = ${partition} order by id desc limit ${limit}`;
    case "raw.koen_files":
      // The request records cookie names only (never their values): safe to show.
      return sql<RawFetch[]>`
        select id::int as id, run_id, outcome, fetched_at, error,
               jsonb_build_object('request', request, 'http_status', http_status, 'content_type', content_type,
                 'window', to_char(window_start, 'YYYY-MM-DD') || '..' || to_char(window_end, 'YYYY-MM-DD'),
                 'encoding', encoding, 'row_count', row_count, 'partial_reason', partial_reason, 'tls_insecure', tls_insecure) as payload,
               case when body is null then null
                    else jsonb_build_object('bytes', byte_length, 'sha256', sha256, 'partial', partial) end as file
        from raw.koen_files where partition = ${partition} order by id desc limit ${limit}`;
    default:
      return [];
  }
}

/** The exact bytes of a stored KOEN download. */
export async function koenFileBody(sql: Sql, id: number): Promise<{ partition: string; body: Buffer; content_type: string | null } | null> {
  const [row] = await sql<{ partition: string; body: Buffer; content_type: string | null }[]>`
    select partition, body, content_type from raw.koen_files where id = ${id} and body is not null`;
  return row ?? null;
}
