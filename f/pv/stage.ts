// Turn one chunk's stored raw payloads into hourly rows in stage, with each partition's outcome
// for ingest (f/lib/load/stage.ts): hour label N → (N−1):00 KST, NULL = not measured.
import { assetOfSource } from "../lib/assets/sources.ts";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { chunkStepArgs } from "../lib/load/chunk_args.ts";
import { stageChunk } from "../lib/load/stage.ts";
import { stepArgs } from "../lib/runtime/step_args.ts";

type Postgresql = PgResource;

export const args = stepArgs("stage", chunkStepArgs);

export async function main(db: Postgresql, source: string, run_id: string, chunk: { asset: string; pdim: string | null; start: string; end: string }) {
  const a = args.parse({ db, source, run_id, chunk });
  return withDb(a.db, (sql) => stageChunk(sql, assetOfSource(a.source), a.run_id, a.chunk));
}
