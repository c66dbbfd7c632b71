// Persist fetched ASOS station-days: the exact items into raw.asos_items and an `asos/raw`
// materialization per partition, in one transaction per batch.
import { createHash } from "node:crypto";
import { asosRaw } from "../../assets/catalog.ts";
import type { Sql } from "../../db/resource.ts";
import { recordMaterializations } from "../../store/record_materializations.ts";
import type { AsosDayResult } from "./client.ts";

export const asosPartition = (ymd: string, stnId: number): string => `${ymd}|${stnId}`;

export async function storeAsosDays(sql: Sql, runId: string, days: AsosDayResult[]): Promise<void> {
  if (days.length === 0) return;
  const rows = days.map((d) => ({
    run_id: runId,
    partition: asosPartition(d.ymd, d.stnId),
    stn_id: d.stnId,
    ymd: d.ymd,
    outcome: d.outcome,
    items: d.outcome === "data" ? d.items : null,
    error: d.outcome === "failed" ? `${d.errorCode}: ${d.reason}` : null,
  }));
  await sql.begin(async (tx) => {
    await tx`
      insert into raw.asos_items (run_id, partition, stn_id, ymd, outcome, items, error)
      select run_id, partition, stn_id, ymd, outcome, items, error
      from jsonb_to_recordset(${tx.json(rows as never)}::jsonb) as t(
        run_id text, partition text, stn_id int, ymd date, outcome text, items jsonb, error text)
    `;
    await recordMaterializations(
      tx as unknown as Sql,
      runId,
      rows.map((r) => ({
        asset: asosRaw.key,
        partition: r.partition,
        status: r.outcome === "data" ? "success" : r.outcome,
        rowCount: r.items?.length ?? 0,
        dataVersion: r.items ? createHash("sha256").update(JSON.stringify(r.items)).digest("hex").slice(0, 16) : null,
        codeVersion: asosRaw.codeVersion,
        error: r.error,
      })),
    );
  });
}

/**
 * Partitions collect can skip: fetched earlier in this run (a retried step resumes), or — unless a
 * refetch is asked for — whose raw payload is already stored with the current code version
 * (e.g. fetched before a quota stop, or only the hourly asset is stale): merge reuses it.
 */
export async function asosDaysToSkip(sql: Sql, runId: string, partitions: string[], refetch: boolean): Promise<Set<string>> {
  const rows = await sql<{ partition: string }[]>`
    select partition from ops.asset_partitions
    where asset = ${asosRaw.key} and partition = any(${partitions}::text[]) and status <> 'failed'
      and (run_id = ${runId} or (not ${refetch} and code_version = ${asosRaw.codeVersion}))
  `;
  return new Set(rows.map((r) => r.partition));
}
