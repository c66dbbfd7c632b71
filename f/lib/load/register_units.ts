// Units a chunk's stage rows bring that the units table does not know: added (NULL coordinates,
// with the run that found them) in the ingest's transaction, and returned with the first partition
// they were seen in. Only for tables whose unit model asks for it (KOEN: a new plant in a download).
import type { Sql } from "../db/resource.ts";
import { ident, qualifiedName, type UnitModel } from "../sources/serving_table.ts";

export type NewUnit = Record<string, string | number> & { first_partition: string };

export async function registerNewUnits(tx: Sql, stage: string, units: UnitModel, runId: string, partitions: string[]): Promise<NewUnit[]> {
  if (!units.register) return [];
  const cols = units.columns.map(ident).join(", ");
  return tx.unsafe<NewUnit[]>(
    `with seen as (
       select ${cols}, min(partition) as first_partition
       from ${qualifiedName(stage)}
       where run_id = $1 and partition = any($2::text[])
       group by ${cols}
     ), added as (
       insert into ${qualifiedName(units.table)} (${cols}, ${ident(units.register.runColumn)}, ${ident(units.register.atColumn)})
       select ${cols}, $1, now() from seen
       on conflict (${cols}) do nothing
       returning ${cols}
     )
     select a.*, s.first_partition from added a join seen s using (${cols})
     order by ${cols}`,
    [runId, partitions],
  );
}
