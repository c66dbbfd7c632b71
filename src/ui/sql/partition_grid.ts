// The partition grid of an asset page: every existing partition in a window with its status (the
// same rules as `pvpipe status`: f/lib/store/partition_states.ts), and each dimension key's first
// expected time key, so the page can tell a missing partition from one not expected yet. Only
// partitions inside the window are read (an index range on ops.asset_partitions (asset, pdate)).
import type { Sql } from "../../../f/lib/db/resource.ts";
import { partitionStates, type PartitionStatus, type StateQuery } from "../../../f/lib/store/partition_states.ts";

export interface GridCell {
  time: string;
  pdim: string | null;
  partition: string;
  status: PartitionStatus;
  empty: boolean;
}

export interface GridData {
  /** Per dimension key (null for assets without one), its first expected time key inside the window. */
  firsts: Map<string | null, string>;
  cells: GridCell[];
}

export async function partitionGrid(sql: Sql, q: StateQuery): Promise<GridData> {
  const st = partitionStates(sql, q);
  const rows = await sql<{ kind: "dim" | "cell"; pdim: string | null; time: string; partition: string | null; status: PartitionStatus | null; empty: boolean }[]>`
    with ${st.ctes}
    select 'dim' as kind, pdim, ${st.keyText("o")} as time, null::text as partition, null::text as status, false as empty
    from (select pdim, first_ord as o from dims) d
    union all
    select 'cell', pdim, ${st.keyText("o")}, partition, status, empty from present
  `;
  const firsts = new Map<string | null, string>();
  const cells: GridCell[] = [];
  for (const r of rows) {
    if (r.kind === "dim") firsts.set(r.pdim, r.time);
    else cells.push({ time: r.time, pdim: r.pdim, partition: r.partition!, status: r.status!, empty: r.empty });
  }
  return { firsts, cells };
}
