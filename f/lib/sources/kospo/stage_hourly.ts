// raw.kospo_items (latest fetch of each partition) → stage.kospo_hourly via COPY,
// plus each partition's outcome for ingest. Re-running replaces the run's staged rows.
import { kospoHourly } from "../../assets/catalog.ts";
import { copyRows, type CopyValue } from "../../db/copy.ts";
import type { Sql } from "../../db/resource.ts";
import { kospoItemToHourly } from "./to_hourly.ts";

interface LatestRaw {
  partition: string;
  gencd: string;
  hogi: number;
  ymd: string;
  outcome: "data" | "empty" | "failed";
  item: Record<string, string> | null;
  error: string | null;
  fallback_name: string | null;
}

export async function stageKospoChunk(
  sql: Sql,
  runId: string,
  unit: { gencd: string; hogi: number },
  range: { start: string; end: string },
): Promise<{ partitions: number; rows: number; data: number; empty: number; failed: number }> {
  return sql.begin(async (tx) => {
    const latest = await tx<LatestRaw[]>`
      select distinct on (r.partition) r.partition, r.gencd, r.hogi, to_char(r.ymd, 'YYYY-MM-DD') as ymd,
             r.outcome, r.item, r.error, p.plant_name as fallback_name
      from raw.kospo_items r
      left join public.nambu_plants p on p.gencd = r.gencd and p.hogi = r.hogi
      where r.gencd = ${unit.gencd} and r.hogi = ${unit.hogi}
        and r.ymd between ${range.start} and ${range.end}
      order by r.partition, r.id desc
    `;
    const partitions = latest.map((l) => l.partition);
    await tx`delete from stage.kospo_hourly where run_id = ${runId} and partition = any(${partitions}::text[])`;
    await tx`delete from stage.partition_outcomes where run_id = ${runId} and asset = ${kospoHourly.key} and partition = any(${partitions}::text[])`;
    function* rows(): Generator<CopyValue[]> {
      for (const l of latest) {
        if (l.outcome !== "data" || !l.item) continue;
        for (const h of kospoItemToHourly(l.item, { gencd: l.gencd, hogi: l.hogi, ymd: l.ymd }, l.fallback_name)) {
          yield [runId, l.partition, h.gencd, h.hogi, h.datetime, h.hourLabel, h.plantName, h.generation, h.dailyTotal, h.dailyAvg, h.dailyMax, h.dailyMin];
        }
      }
    }
    const n = await copyRows(tx as unknown as Sql, "stage.kospo_hourly",
      ["run_id", "partition", "gencd", "hogi", "datetime", "hour_label", "plant_name", "generation", "daily_total", "daily_avg", "daily_max", "daily_min"],
      rows());
    const outcomes = latest.map((l) => ({
      partition: l.partition,
      status: l.outcome === "data" ? "success" : l.outcome,
      error: l.error,
    }));
    await tx`
      insert into stage.partition_outcomes (run_id, asset, partition, status, error)
      select ${runId}, ${kospoHourly.key}, partition, status, error
      from jsonb_to_recordset(${tx.json(outcomes as never)}::jsonb) as t(partition text, status text, error text)
    `;
    const count = (o: string) => latest.filter((l) => l.outcome === o).length;
    return { partitions: latest.length, rows: n, data: count("data"), empty: count("empty"), failed: count("failed") };
  }) as Promise<{ partitions: number; rows: number; data: number; empty: number; failed: number }>;
}
