// Load a chunk's staged rows into the serving table of its source and record the chunk's
// materializations, in one transaction per chunk.
import { allKeys } from "../lib/assets/partitions.ts";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { ingestKospoChunk } from "../lib/sources/kospo/ingest_hourly.ts";
import { kospoHourly } from "../lib/assets/catalog.ts";

type Postgresql = PgResource;

export async function main(
  db: Postgresql,
  source: "kospo",
  run_id: string,
  chunk: { asset: string; pdim: string; start: string; end: string },
) {
  return withDb(db, async (sql) => {
    switch (source) {
      case "kospo": {
        const partitions = await allKeys(kospoHourly.partitions, chunk.start, chunk.end, () => [chunk.pdim]);
        return { unit: chunk.pdim, ...(await ingestKospoChunk(sql, run_id, partitions)) };
      }
      default:
        throw new Error(`ingest: unknown source "${String(source)}"`);
    }
  });
}
