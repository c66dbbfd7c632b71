// Turn the chunk's raw ASOS items into hourly rows (datetime = tm, KST) in stage.
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { stageAsosChunk } from "../lib/sources/asos/stage_hourly.ts";
import { parseStationKey } from "../lib/sources/asos/stations.ts";

type Postgresql = PgResource;

export async function main(db: Postgresql, run_id: string, chunk: { asset: string; pdim: string; start: string; end: string }) {
  const stnId = parseStationKey(chunk.pdim);
  return withDb(db, async (sql) => ({ station: chunk.pdim, ...(await stageAsosChunk(sql, run_id, stnId, chunk)) }));
}
