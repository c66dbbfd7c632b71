// Load a chunk's staged rows into the serving table of its source and record the chunk's
// materializations, in one transaction per chunk.
import { allKeys } from "../lib/assets/partitions.ts";
import { withDb, type PgResource } from "../lib/db/resource.ts";
import { ingestKospoChunk } from "../lib/sources/kospo/ingest_hourly.ts";
import { ingestAsosChunk } from "../lib/sources/asos/ingest_hourly.ts";
import { ingestKoenChunk } from "../lib/sources/koen/ingest_hourly.ts";
import { asosHourly, koenHourly, kospoHourly } from "../lib/assets/catalog.ts";

type Postgresql = PgResource;

export async function main(
  db: Postgresql,
  source: "kospo" | "asos" | "koen",
  run_id: string,
  chunk: { asset: string; pdim: string; start: string; end: string },
) {
  return withDb(db, async (sql) => {
    switch (source) {
      case "kospo": {
        const partitions = await allKeys(kospoHourly.partitions, chunk.start, chunk.end, () => [chunk.pdim]);
        return { unit: chunk.pdim, ...(await ingestKospoChunk(sql, run_id, partitions)) };
      }
      case "asos": {
        const partitions = await allKeys(asosHourly.partitions, chunk.start, chunk.end, () => [chunk.pdim]);
        return { unit: `station ${chunk.pdim}`, station: chunk.pdim, ...(await ingestAsosChunk(sql, run_id, partitions)) };
      }
      case "koen": {
        // Monthly partitions without another dimension: one key per month of the chunk.
        const partitions = await allKeys(koenHourly.partitions, chunk.start, chunk.end, () => []);
        const r = await ingestKoenChunk(sql, run_id, partitions);
        for (const u of r.new_units) console.warn(`KOEN: new unit ${u.plant_name} 호기 ${u.hogi} (first seen ${u.first_month}) added to namdong_plants without coordinates`);
        return { unit: `${chunk.start.slice(0, 7)}..${chunk.end.slice(0, 7)}`, ...r };
      }
      default:
        throw new Error(`ingest: unknown source "${String(source)}"`);
    }
  });
}
