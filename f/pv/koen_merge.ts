// Turn the chunk's stored KOEN CSVs into hourly rows in stage.
// Label N of day D → D + (N−1) h KST; identity (발전구분, 호기) exactly as the source spells them.
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { monthKeys } from "../lib/sources/koen/months.ts";
import { stageKoenChunk } from "../lib/sources/koen/stage_hourly.ts";

type Postgresql = PgResource;

export async function main(db: Postgresql, run_id: string, chunk: { asset: string; pdim: string | null; start: string; end: string }) {
  const months = monthKeys(chunk.start, chunk.end);
  return withDb(db, async (sql) => ({ unit: `${chunk.start.slice(0, 7)}..${chunk.end.slice(0, 7)}`, ...(await stageKoenChunk(sql, run_id, months)) }));
}
