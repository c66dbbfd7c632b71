// raw.koen_files (latest fetch of each month, usually this run's) → stage.koen_hourly via COPY, plus each
// month's outcome for ingest. The CSV is read again from the stored bytes (the same checks as at
// download); a month whose bytes fail them now is a failed partition, never a garbage row.
import { koenHourly } from "../../assets/catalog.ts";
import { copyRows, type CopyValue } from "../../db/copy.ts";
import type { Sql } from "../../db/resource.ts";
import { SourceError } from "../errors.ts";
import { readKoenCsv, type KoenCsvRow } from "./csv.ts";
import { knownKoenPlantNames } from "./plants.ts";
import { koenRowToHourly } from "./to_hourly.ts";

interface LatestFile {
  partition: string;
  window_start: string;
  window_end: string;
  outcome: "data" | "empty" | "failed";
  http_status: number | null;
  content_type: string | null;
  body: Buffer | null;
  error: string | null;
  request: { url?: string; form?: { strDateS?: string; strDateE?: string } } | null;
}

export interface KoenStageResult {
  months: number;
  rows: number;
  data: number;
  empty: number;
  failed: number;
}

export async function stageKoenChunk(sql: Sql, runId: string, months: string[]): Promise<KoenStageResult> {
  return sql.begin(async (tx0) => {
    const tx = tx0 as unknown as Sql;
    const latest = await tx<LatestFile[]>`
      select distinct on (partition) partition, to_char(window_start, 'YYYY-MM-DD') as window_start,
             to_char(window_end, 'YYYY-MM-DD') as window_end, outcome, http_status, content_type, body, error, request
      from raw.koen_files
      where partition = any(${months}::text[])
      order by partition, id desc
    `;
    const partitions = latest.map((l) => l.partition);
    await tx`delete from stage.koen_hourly where run_id = ${runId} and partition = any(${partitions}::text[])`;
    await tx`delete from stage.partition_outcomes where run_id = ${runId} and asset = ${koenHourly.key} and partition = any(${partitions}::text[])`;
    const known = await knownKoenPlantNames(tx);

    const outcomes: { partition: string; status: "success" | "empty" | "failed"; error: string | null }[] = [];
    const parsed: { partition: string; rows: KoenCsvRow[] }[] = [];
    for (const l of latest) {
      if (l.outcome !== "data" || !l.body) {
        outcomes.push({ partition: l.partition, status: l.outcome === "data" ? "failed" : l.outcome, error: l.error ?? (l.outcome === "data" ? "raw file has no body" : null) });
        continue;
      }
      try {
        const csv = readKoenCsv(l.body, {
          contentType: l.content_type,
          status: l.http_status ?? 200,
          request: `csvDown.do ${l.window_start}..${l.window_end}`,
          window: { start: l.window_start, end: l.window_end },
          known,
        });
        parsed.push({ partition: l.partition, rows: csv.rows });
        outcomes.push({ partition: l.partition, status: csv.rows.length ? "success" : "empty", error: null });
      } catch (e) {
        const err = e as Error & { code?: string };
        outcomes.push({ partition: l.partition, status: "failed", error: `${e instanceof SourceError ? e.code : err.name}: ${err.message}` });
      }
    }

    function* rows(): Generator<CopyValue[]> {
      for (const p of parsed) {
        for (const r of p.rows) {
          for (const h of koenRowToHourly(r)) {
            yield [runId, p.partition, h.plantName, h.hogi, h.datetime, h.hour, h.generation, h.dailyTotal, h.dailyAvg, h.dailyMax, h.dailyMin];
          }
        }
      }
    }
    const n = await copyRows(tx, "stage.koen_hourly",
      ["run_id", "partition", "plant_name", "hogi", "datetime", "hour", "generation", "daily_total", "daily_avg", "daily_max", "daily_min"],
      rows());
    await tx`
      insert into stage.partition_outcomes (run_id, asset, partition, status, error)
      select ${runId}, ${koenHourly.key}, partition, status, error
      from jsonb_to_recordset(${tx.json(outcomes as never)}::jsonb) as t(partition text, status text, error text)
    `;
    const count = (s: string) => outcomes.filter((o) => o.status === s).length;
    return { months: outcomes.length, rows: n, data: count("success"), empty: count("empty"), failed: count("failed") };
  }) as Promise<KoenStageResult>;
}
