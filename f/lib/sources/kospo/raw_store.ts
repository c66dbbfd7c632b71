// Persist fetched KOSPO days: the exact item into raw.kospo_items and a `kospo/raw`
// materialization per partition, in one transaction per batch.
import { createHash } from "node:crypto";
import { kospoRaw } from "../../assets/catalog.ts";
import type { Sql } from "../../db/resource.ts";
import { recordMaterializations } from "../../store/record_materializations.ts";
import type { KospoDayResult } from "./client.ts";
import { kospoUnitKey } from "./units.ts";

export const kospoPartition = (ymd: string, gencd: string, hogi: number): string => `${ymd}|${kospoUnitKey(gencd, hogi)}`;

export async function storeKospoDays(sql: Sql, runId: string, days: KospoDayResult[]): Promise<void> {
  if (days.length === 0) return;
  const rows = days.map((d) => ({
    run_id: runId,
    partition: kospoPartition(d.ymd, d.gencd, d.hogi),
    gencd: d.gencd,
    hogi: d.hogi,
    ymd: d.ymd,
    outcome: d.outcome,
    item: d.outcome === "data" ? d.item : null,
    error: d.outcome === "failed" ? `${d.errorCode}: ${d.reason}` : null,
  }));
  await sql.begin(async (tx) => {
    await tx`
      insert into raw.kospo_items (run_id, partition, gencd, hogi, ymd, outcome, item, error)
      select run_id, partition, gencd, hogi, ymd, outcome, item, error
      from jsonb_to_recordset(${tx.json(rows as never)}::jsonb) as t(
        run_id text, partition text, gencd text, hogi int, ymd date, outcome text, item jsonb, error text)
    `;
    await recordMaterializations(
      tx as unknown as Sql,
      runId,
      rows.map((r) => ({
        asset: kospoRaw.key,
        partition: r.partition,
        status: r.outcome === "data" ? "success" : r.outcome,
        rowCount: r.outcome === "data" ? 1 : 0,
        dataVersion: r.item ? createHash("sha256").update(JSON.stringify(r.item)).digest("hex").slice(0, 16) : null,
        codeVersion: kospoRaw.codeVersion,
        error: r.error,
      })),
    );
  });
}

/**
 * Partitions sync can skip: fetched earlier in this run (a retried step resumes), or — unless a
 * refetch is asked for — whose raw payload is already stored with the current code version
 * (e.g. fetched before a quota stop, or only the hourly asset is stale): merge reuses it.
 */
export async function kospoDaysToSkip(sql: Sql, runId: string, partitions: string[], refetch: boolean): Promise<Set<string>> {
  const rows = await sql<{ partition: string }[]>`
    select partition from ops.asset_partitions
    where asset = ${kospoRaw.key} and partition = any(${partitions}::text[]) and status <> 'failed'
      and (run_id = ${runId} or (not ${refetch} and code_version = ${kospoRaw.codeVersion}))
  `;
  return new Set(rows.map((r) => r.partition));
}
