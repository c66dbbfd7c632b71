// Units a chunk's rows (in the load or stage table) bring that the units table does not know:
// added (NULL coordinates, with the run that found them) in the ingest's transaction, and returned
// with the first partition they were seen in. Only for tables whose unit model asks for it (KOEN: a new plant in a download).
import type { Sql } from "../db/resource.ts";
import { ident, qualifiedName, type UnitModel } from "../sources/serving_table.ts";
import type { RowsSql } from "./upsert_sql.ts";

export type NewUnit = Record<string, string | number> & { first_partition: string };

/** `rows` is the chunk's rows as SQL over `params` ($1 the run id). */
export async function registerNewUnits(tx: Sql, rows: RowsSql, units: UnitModel, params: unknown[]): Promise<NewUnit[]> {
  if (!units.register) return [];
  const cols = units.columns.map(ident).join(", ");
  return tx.unsafe<NewUnit[]>(
    `with seen as (
       select ${cols}, min(partition) as first_partition
       from (${rows}) r
       group by ${cols}
     ), added as (
       insert into ${qualifiedName(units.table)} (${cols}, ${ident(units.register.runColumn)}, ${ident(units.register.atColumn)})
       select ${cols}, $1, now() from seen
       on conflict (${cols}) do nothing
       returning ${cols}
     )
     select a.*, s.first_partition from added a join seen s using (${cols})
     order by ${cols}`,
    params as never[],
    { prepare: true },
  );
}
