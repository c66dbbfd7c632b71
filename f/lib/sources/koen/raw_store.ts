// raw.koen_files: each month's download exactly (bytes, sha256, request, the window asked), and the
// latest one of each month read back for staging; months whose latest download was partial.
import type { Sql } from "../../db/resource.ts";
import type { Fetched, Stored } from "../source.ts";
import type { KoenRequestRecord } from "./client.ts";
import { knownKoenPlantNames } from "./plants.ts";

export interface KoenFetch {
  month: string; // partition key YYYY-MM-01
  windowStart: string;
  windowEnd: string;
  partial: boolean;
  partialReason: string | null;
  request: KoenRequestRecord | { method: "POST"; url: string; window: string[] };
  status: number | null;
  contentType: string | null;
  body: Buffer | null;
  sha256: string | null;
  encoding: string | null;
  tlsInsecure: boolean;
}

export interface KoenStored {
  body: Buffer;
  contentType: string | null;
  status: number;
  window: { start: string; end: string };
  /** Plant names the database and the shipped list know (a new one must look like a plant name). */
  known: ReadonlySet<string>;
}

export async function insertKoenFiles(tx: Sql, runId: string, batch: Fetched<KoenFetch>[]): Promise<void> {
  for (const { payload: f, outcome, rows, error } of batch) {
    await tx`
      insert into raw.koen_files (run_id, partition, month, window_start, window_end, partial, partial_reason, outcome,
        request, http_status, content_type, body, sha256, byte_length, encoding, row_count, tls_insecure, error)
      values (${runId}, ${f.month}, ${f.month}, ${f.windowStart}, ${f.windowEnd}, ${f.partial}, ${f.partialReason}, ${outcome},
        ${tx.json(f.request)}, ${f.status}, ${f.contentType}, ${f.body}, ${f.sha256}, ${f.body?.length ?? null},
        ${f.encoding}, ${rows}, ${f.tlsInsecure}, ${error})
    `;
  }
}

export async function latestKoenFiles(tx: Sql, c: { partitions: string[] }): Promise<Stored<KoenStored>[]> {
  const latest = await tx<{ partition: string; window_start: string; window_end: string; outcome: Stored<KoenStored>["outcome"]; http_status: number | null; content_type: string | null; body: Buffer | null; error: string | null }[]>`
    select distinct on (partition) partition, to_char(window_start, 'YYYY-MM-DD') as window_start,
           to_char(window_end, 'YYYY-MM-DD') as window_end, outcome, http_status, content_type, body, error
    from raw.koen_files
    where partition = any(${c.partitions}::text[])
    order by partition, id desc
  `;
  const known = await knownKoenPlantNames(tx);
  return latest.map((l) => ({
    partition: l.partition,
    outcome: l.outcome,
    error: l.error,
    payload: l.body ? { body: l.body, contentType: l.content_type, status: l.http_status ?? 200, window: { start: l.window_start, end: l.window_end }, known } : null,
  }));
}

/**
 * Months in [start, end] whose latest successful download was partial (the month was not over, or
 * not yet settled at the source): every run plans them again, and fetches them again, until a
 * complete download lands.
 */
export async function koenPartialMonths(sql: Sql, range: { start: string; end: string }): Promise<string[]> {
  const rows = await sql<{ partition: string }[]>`
    select partition from (
      select distinct on (partition) partition, partial
      from raw.koen_files
      where outcome <> 'failed' and month >= date_trunc('month', ${range.start}::date) and month <= ${range.end}::date
      order by partition, id desc
    ) latest
    where partial
    order by partition
  `;
  return rows.map((r) => r.partition);
}
