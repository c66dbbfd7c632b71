// Load one chunk into the serving table of its source, in one transaction and one write per row
// (f/lib/load/ingest.ts): its partitions' latest stored payloads — the raw store is the hand-off
// from collect — parsed (hour label N → (N−1):00 KST, NULL = not measured) and upserted by the
// statement generated from the table's description, with the chunk's materializations. Units the
// rows bring that the units table does not know are added and said.
import { assetOfSource } from "../lib/assets/sources.ts";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { chunkStepArgs } from "../lib/load/chunk_args.ts";
import { ingestChunk } from "../lib/load/ingest.ts";
import { stepArgs } from "../lib/runtime/step_args.ts";

type Postgresql = PgResource;

export const args = stepArgs("ingest", chunkStepArgs);

export async function main(db: Postgresql, source: string, run_id: string, chunk: { asset: string; pdim: string | null; start: string; end: string }) {
  const a = args.parse({ db, source, run_id, chunk });
  const asset = assetOfSource(a.source);
  const r = await withDb(a.db, (sql) => ingestChunk(sql, asset, a.run_id, a.chunk));
  const { units } = asset.source.table;
  for (const u of r.new_units ?? []) {
    console.warn(`${asset.source.label}: new unit ${units.register?.describe(u) ?? ""} (first seen ${u.first_partition}) added to ${units.table.replace(/^public\./, "")} without coordinates`);
  }
  return r;
}
