// Turn the chunk's raw KOSPO items into hourly rows (label N → (N-1):00 KST) in stage.
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { stageKospoChunk } from "../lib/sources/kospo/stage_hourly.ts";
import { parseKospoUnitKey } from "../lib/sources/kospo/units.ts";

type Postgresql = PgResource;

export async function main(db: Postgresql, run_id: string, chunk: { asset: string; pdim: string; start: string; end: string }) {
  const unit = parseKospoUnitKey(chunk.pdim);
  return withDb(db, async (sql) => ({ unit: chunk.pdim, ...(await stageKospoChunk(sql, run_id, unit, chunk)) }));
}
