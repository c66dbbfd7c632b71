// Load one chunk's staged rows into the serving table of its source and record the chunk's
// materializations, in one transaction (f/lib/load/ingest.ts); the upsert is generated from the
// table's description.
import { z } from "zod";
import { assetOfSource } from "../lib/assets/sources.ts";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { ingestChunk } from "../lib/load/ingest.ts";
import { chunkArg } from "../lib/planner/chunk.ts";
import { postgresqlResource, stepArgs } from "../lib/runtime/step_args.ts";

type Postgresql = PgResource;

export const args = stepArgs("ingest", {
  db: postgresqlResource,
  source: z.string().describe("Source of the chunk"),
  run_id: z.string().describe("Run id from the plan step"),
  chunk: chunkArg,
});

export async function main(db: Postgresql, source: string, run_id: string, chunk: { asset: string; pdim: string | null; start: string; end: string }) {
  const a = args.parse({ db, source, run_id, chunk });
  const asset = assetOfSource(a.source);
  const r = await withDb(a.db, (sql) => ingestChunk(sql, asset, a.run_id, a.chunk));
  const describe = asset.source.table.units.register?.describe;
  for (const u of r.new_units ?? []) {
    console.warn(`${asset.source.label}: new unit ${describe?.(u) ?? ""} (first seen ${u.first_partition}) added to ${asset.source.table.units.table.replace(/^public\./, "")} without coordinates`);
  }
  return r;
}
