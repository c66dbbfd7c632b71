// Turn one chunk's stored raw payloads into hourly rows in stage, with each partition's outcome
// for ingest (f/lib/load/stage.ts): hour label N → (N−1):00 KST, NULL = not measured.
import { z } from "zod";
import { assetOfSource } from "../lib/assets/sources.ts";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { stageChunk } from "../lib/load/stage.ts";
import { chunkArg } from "../lib/planner/chunk.ts";
import { postgresqlResource, stepArgs } from "../lib/runtime/step_args.ts";

type Postgresql = PgResource;

export const args = stepArgs("stage", {
  db: postgresqlResource,
  source: z.string().describe("Source of the chunk"),
  run_id: z.string().describe("Run id from the plan step"),
  chunk: chunkArg,
});

export async function main(db: Postgresql, source: string, run_id: string, chunk: { asset: string; pdim: string | null; start: string; end: string }) {
  const a = args.parse({ db, source, run_id, chunk });
  const asset = assetOfSource(a.source);
  return withDb(a.db, (sql) => stageChunk(sql, asset, a.run_id, a.chunk));
}
