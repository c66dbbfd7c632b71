// raw.asos_items (latest stored fetch of each partition: this run's, or an earlier run's payload that
// collect chose to reuse) → stage.asos_hourly via COPY, plus each partition's outcome for ingest.
// Re-running replaces the run's staged rows.
import { asosHourly } from "../../assets/catalog.ts";
import { copyRows, type CopyValue } from "../../db/copy.ts";
import type { Sql } from "../../db/resource.ts";
import { ASOS_COLUMNS, type AsosRawItem } from "./item.ts";
import { asosItemToHourly } from "./to_hourly.ts";

interface LatestRaw {
  partition: string;
  stn_id: number;
  ymd: string;
  outcome: "data" | "empty" | "failed";
  items: AsosRawItem[] | null;
  error: string | null;
  fallback_name: string | null;
}

export interface StageResult {
  partitions: number;
  rows: number;
  data: number;
  empty: number;
  failed: number;
}

export async function stageAsosChunk(sql: Sql, runId: string, stnId: number, range: { start: string; end: string }): Promise<StageResult> {
  return sql.begin(async (tx) => {
    const latest = await tx<LatestRaw[]>`
      select distinct on (r.partition) r.partition, r.stn_id, to_char(r.ymd, 'YYYY-MM-DD') as ymd,
             r.outcome, r.items, r.error, s.station_name as fallback_name
      from raw.asos_items r
      left join public.asos_stations s on s.stn_id = r.stn_id
      where r.stn_id = ${stnId} and r.ymd between ${range.start} and ${range.end}
      order by r.partition, r.id desc
    `;
    const partitions = latest.map((l) => l.partition);
    await tx`delete from stage.asos_hourly where run_id = ${runId} and partition = any(${partitions}::text[])`;
    await tx`delete from stage.partition_outcomes where run_id = ${runId} and asset = ${asosHourly.key} and partition = any(${partitions}::text[])`;
    function* rows(): Generator<CopyValue[]> {
      for (const l of latest) {
        if (l.outcome !== "data" || !l.items) continue;
        for (const item of l.items) {
          const h = asosItemToHourly(item, l.stn_id, l.fallback_name);
          yield [runId, l.partition, h.stnId, h.datetime, h.stationName, ...ASOS_COLUMNS.map((c) => h.values[c])];
        }
      }
    }
    const n = await copyRows(tx as unknown as Sql, "stage.asos_hourly", ["run_id", "partition", "stn_id", "datetime", "station_name", ...ASOS_COLUMNS], rows());
    const outcomes = latest.map((l) => ({ partition: l.partition, status: l.outcome === "data" ? "success" : l.outcome, error: l.error }));
    await tx`
      insert into stage.partition_outcomes (run_id, asset, partition, status, error)
      select ${runId}, ${asosHourly.key}, partition, status, error
      from jsonb_to_recordset(${tx.json(outcomes as never)}::jsonb) as t(partition text, status text, error text)
    `;
    const count = (o: string) => latest.filter((l) => l.outcome === o).length;
    return { partitions: latest.length, rows: n, data: count("data"), empty: count("empty"), failed: count("failed") };
  }) as Promise<StageResult>;
}
