// The upsert of a chunk's rows into a serving table, generated from the table's description
// (f/lib/sources/serving_table.ts): one INSERT … SELECT … ON CONFLICT DO UPDATE over the chunk's
// rows (a relation of the stage shape — `partition` then the table's `stageColumns` — given as
// SQL: the ingest's arrays, or an import's stage table; $1 is the run id), set-based, with the
// guarantees every source shares:
//  - a later load never erases a measured value (or a name) with NULL: kept columns coalesce;
//  - a row whose values did not change is not rewritten: the update's IS DISTINCT FROM guard;
//  - the fill columns start as the measured value ('measured'), or NULL ('none' for PV);
//    a measured value arriving later replaces a fill.
// The same statement returns each partition's data version: the hash of what the partition serves
// once the upsert has run, computed from the rows and the rows served before (the update's own
// rules), so nothing is read back. Identifiers come from constant descriptions and are quoted;
// values are parameters only.
import { ident, qualifiedName, type FillColumns, type ServingTable } from "../sources/serving_table.ts";

/** The fill columns an insert writes, each with its value from the staged row. */
function fillInsert(f: FillColumns): [string, string][] {
  if (f.kind === "value") {
    const v = ident(f.value);
    return [
      [f.filled, v],
      [f.method, `case when ${v} is null then 'none' else 'measured' end`],
    ];
  }
  return [...f.fields.map((c): [string, string] => [`${c}${f.suffix}`, ident(c)]), [f.methods, measuredMethods(f, ident)]];
}

/** The fill columns an update sets: a value measured now or before wins over a fill. */
function fillUpdate(f: FillColumns): [string, string][] {
  const measured = (c: string) => `coalesce(excluded.${ident(c)}, g.${ident(c)})`;
  if (f.kind === "value") {
    return [
      [f.filled, `coalesce(excluded.${ident(f.value)}, g.${ident(f.value)}, g.${ident(f.filled)})`],
      [f.method, `case when ${measured(f.value)} is not null then 'measured' else g.${ident(f.method)} end`],
    ];
  }
  return [
    ...f.fields.map((c): [string, string] => [`${c}${f.suffix}`, `coalesce(excluded.${ident(c)}, g.${ident(c)}, g.${ident(`${c}${f.suffix}`)})`]),
    [f.methods, `g.${ident(f.methods)} || ${measuredMethods(f, measured)}`],
  ];
}

/** jsonb field → 'measured' for every fillable field whose value (an expression per field) is not null. */
function measuredMethods(f: Extract<FillColumns, { kind: "fields" }>, value: (c: string) => string): string {
  return `jsonb_strip_nulls(jsonb_build_object(${f.fields.map((c) => `'${c}', case when ${value(c)} is not null then 'measured' end`).join(", ")}))`;
}

/** The chunk's rows as a relation: `partition`, then `stageColumns` (both callers' SQL below). */
export type RowsSql = string;

/** An import's stage table rows of the run ($1) and partitions ($2). */
export const stagedRowsSql = (t: ServingTable): RowsSql =>
  `select * from ${qualifiedName(t.stage)} where run_id = $1 and partition = any($2::text[])`;

/**
 * Rows passed as one array literal per column from `$first` on (`cols`, partition first; by
 * default every stage column; f/lib/load/column_arrays.ts), each parsed as an array of its stage
 * column's SQL type, of the partitions in $2:
 * one statement reads them, no table is written but the serving one.
 */
export function arrayRowsSql(t: ServingTable, types: Readonly<Record<string, string>>, first: number, cols: readonly string[] = ["partition", ...t.stageColumns]): RowsSql {
  const arrays = cols.map((c, i) => `$${first + i}::${typeOf(types, c)}[]`);
  return `select * from unnest(${arrays.join(", ")}) as r(${cols.map(ident).join(", ")}) where r.partition = any($2::text[])`;
}

function typeOf(types: Readonly<Record<string, string>>, c: string): string {
  const ty = types[c];
  if (!ty || !/^[a-z][a-z0-9 _(),]*$/.test(ty)) throw new Error(`no SQL type for stage column ${c}`);
  return ty;
}

export interface UpsertResult {
  /** Distinct keys in the chunk's rows. */
  staged: number;
  inserted: number;
  updated: number;
  /** Rows served and their data version, per partition with rows. */
  versions: { partition: string; rows: number; version: string }[];
}

export function upsertSql(t: ServingTable, rows: RowsSql): string {
  const key = t.key.map(ident).join(", ");
  const units = t.units.columns.map(ident).join(", ");
  const time = ident(t.key[t.key.length - 1]);
  const served = [...t.key, ...t.replaced, ...t.kept];
  const inserted = fillInsert(t.fill);
  const columns = [...served.map(ident), ...inserted.map(([c]) => ident(c)), "run_id", "updated_at"].join(", ");
  const values = [...served.map(ident), ...inserted.map(([, v]) => v), "$1", "now()"].join(", ");
  const set = [
    ...t.replaced.map((c) => `${ident(c)} = excluded.${ident(c)}`),
    ...t.kept.map((c) => `${ident(c)} = coalesce(excluded.${ident(c)}, g.${ident(c)})`),
    ...fillUpdate(t.fill).map(([c, v]) => `${ident(c)} = ${v}`),
    "run_id = excluded.run_id",
    "updated_at = now()",
  ].join(",\n      ");
  const now = [...t.replaced.map((c) => `excluded.${ident(c)}`), ...t.kept.map((c) => `coalesce(excluded.${ident(c)}, g.${ident(c)})`)].join(", ");
  const before = [...t.replaced, ...t.kept].map((c) => `g.${ident(c)}`).join(", ");
  // What each row serves after this statement: the update's rules applied to the row served before.
  const after = [
    ...t.key.map((c) => `s.${ident(c)}`),
    ...t.replaced.map((c) => `s.${ident(c)}`),
    ...t.kept.map((c) => `coalesce(s.${ident(c)}, o.${ident(c)}) as ${ident(c)}`),
  ].join(", ");
  // The leading comment names the table within pg_stat_activity's first 1 kB (the array casts are long).
  return `/* upsert ${t.name} */
  with src as (
    select distinct on (${key}) *
    from (${rows}) r
    order by ${key}
  ), old as materialized (
    -- The rows served before: one primary-key range per unit of the chunk (not a probe per row;
    -- OFFSET 0 keeps the planner from trading the key range for the datetime index).
    select o.* from (select distinct ${units} from src) u
    cross join (select min(${time}) as lo, max(${time}) as hi from src) r
    cross join lateral (
      select * from ${qualifiedName(t.name)} o
      where ${t.units.columns.map((c) => `o.${ident(c)} = u.${ident(c)}`).join(" and ")} and o.${time} between r.lo and r.hi
      offset 0
    ) o
  ), served as (
    select s.partition, ${after}
    from src s left join old o using (${key})
  ), fresh as (
    -- None of the chunk's keys is served yet (the partition locks keep it so): a plain insert,
    -- without ON CONFLICT's speculative insertion. Otherwise every row goes through the upsert.
    insert into ${qualifiedName(t.name)} (${columns})
    select ${values}
    from src
    where not exists (select from old)
    returning 1
  ), up as (
    insert into ${qualifiedName(t.name)} as g (${columns})
    select ${values}
    from src
    where exists (select from old)
    on conflict (${key}) do update set
      ${set}
    where (${now})
      is distinct from (${before})
    returning (xmax = 0) as inserted
  ), versions as (
    select g.partition, count(*)::int as rows,
           left(md5(string_agg(${t.version.row}, ',' order by ${t.version.order.map((c) => `g.${ident(c)}`).join(", ")})), 16) as version
    from served g
    group by g.partition
  )
  select (select count(*) from src)::int as staged,
         ((select count(*) from fresh) + (select count(*) filter (where inserted) from up))::int as inserted,
         (select count(*) filter (where not inserted) from up)::int as updated,
         coalesce((select json_agg(v) from versions v), '[]') as versions`;
}
