// Persist one month's download: the exact bytes, their sha256 and the request into raw.koen_files,
// and the `koen/raw` materialization of the month, in one transaction.
import { koenRaw } from "../../assets/catalog.ts";
import type { Sql } from "../../db/resource.ts";
import { recordMaterializations } from "../../store/record_materializations.ts";
import type { KoenRequestRecord } from "./client.ts";

export interface KoenFileRecord {
  month: string; // partition key YYYY-MM-01
  windowStart: string;
  windowEnd: string;
  partial: boolean;
  partialReason: string | null;
  outcome: "data" | "empty" | "failed";
  request: KoenRequestRecord | Record<string, unknown>;
  status: number | null;
  contentType: string | null;
  body: Buffer | null;
  sha256: string | null;
  encoding: string | null;
  rowCount: number;
  tlsInsecure: boolean;
  error: string | null;
}

export async function storeKoenFile(sql: Sql, runId: string, f: KoenFileRecord): Promise<void> {
  await sql.begin(async (tx0) => {
    const tx = tx0 as unknown as Sql;
    await tx`
      insert into raw.koen_files (run_id, partition, month, window_start, window_end, partial, partial_reason, outcome,
        request, http_status, content_type, body, sha256, byte_length, encoding, row_count, tls_insecure, error)
      values (${runId}, ${f.month}, ${f.month}, ${f.windowStart}, ${f.windowEnd}, ${f.partial}, ${f.partialReason}, ${f.outcome},
        ${tx.json(f.request as never)}, ${f.status}, ${f.contentType}, ${f.body}, ${f.sha256}, ${f.body?.length ?? null},
        ${f.encoding}, ${f.rowCount}, ${f.tlsInsecure}, ${f.error})
    `;
    await recordMaterializations(tx, runId, [
      {
        asset: koenRaw.key,
        partition: f.month,
        status: f.outcome === "data" ? "success" : f.outcome,
        rowCount: f.outcome === "data" ? f.rowCount : 0,
        dataVersion: f.outcome === "failed" ? null : (f.sha256?.slice(0, 16) ?? null),
        codeVersion: koenRaw.codeVersion,
        error: f.error,
      },
    ]);
  });
}

/**
 * Months the collect step can skip: fetched in this run already (a retried step resumes), or —
 * unless a refetch is asked for — whose latest stored download is complete (not partial) and was
 * judged by the current code version: merge reuses those bytes.
 */
export async function koenMonthsToSkip(sql: Sql, runId: string, months: string[], refetch: boolean): Promise<Set<string>> {
  const rows = await sql<{ partition: string }[]>`
    select ap.partition from ops.asset_partitions ap
    join lateral (
      select f.partial from raw.koen_files f where f.partition = ap.partition order by f.id desc limit 1
    ) latest on true
    where ap.asset = ${koenRaw.key} and ap.partition = any(${months}::text[]) and ap.status <> 'failed'
      and (ap.run_id = ${runId} or (not ${refetch} and ap.code_version = ${koenRaw.codeVersion} and not latest.partial))
  `;
  return new Set(rows.map((r) => r.partition));
}

/**
 * Months in [start, end] whose latest successful download was partial (the month was not over, or
 * not yet settled at the source): every run plans them again until a complete download lands.
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
