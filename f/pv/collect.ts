// Fetch one planned chunk of a source (one unit and a range of days, or a series of months) and keep
// the exact payloads in raw (f/lib/load/collect.ts). Stored partitions are not fetched again unless
// `refetch`, so a retried step or a run after a quota stop resumes where the last one stopped.
import { z } from "zod";
import { assetOfSource } from "../lib/assets/sources.ts";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { chunkStepArgs } from "../lib/load/chunk_args.ts";
import { chunkShare } from "../lib/load/api_share.ts";
import { collectChunk } from "../lib/load/collect.ts";
import { budgetedChunkArg } from "../lib/planner/chunk.ts";
import { shutdownSignal } from "../lib/runtime/shutdown.ts";
import { anyResource, orDefault, stepArgs } from "../lib/runtime/step_args.ts";

type Postgresql = PgResource;

export const args = stepArgs("collect", {
  db: chunkStepArgs.db,
  source: chunkStepArgs.source,
  api: anyResource.describe("The source's API resource (f/pv/kospo_api, f/pv/asos_api, f/pv/koen_site)"),
  run_id: chunkStepArgs.run_id,
  chunk: budgetedChunkArg,
  refetch: orDefault(z.boolean(), false).describe("Fetch again even when the raw payload is already stored (policy all)"),
  chunks_in_flight: orDefault(z.number().int().min(1).max(16), 4).describe(
    "Chunks the flow collects at the same time: this chunk's client takes its share of the run's API budget (f/lib/load/api_share.ts)",
  ),
});

export async function main(
  db: Postgresql,
  source: string,
  api: object,
  run_id: string,
  chunk: { asset: string; pdim: string | null; start: string; end: string; budget?: string; continues?: string },
  refetch: boolean = false,
  chunks_in_flight: number = 4,
) {
  const a = args.parse({ db, source, api, run_id, chunk, refetch, chunks_in_flight });
  const asset = assetOfSource(a.source);
  const sourceApi = asset.source.api.schema.parse(a.api);
  return withDb(a.db, (sql) =>
    collectChunk(sql, asset, { api: sourceApi, runId: a.run_id, chunk: a.chunk, refetch: a.refetch, ...chunkShare(a.chunks_in_flight), signal: shutdownSignal }),
  );
}
