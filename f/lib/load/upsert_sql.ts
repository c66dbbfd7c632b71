// The upsert of a chunk's staged rows into a serving table, generated from the table's description
// (f/lib/sources/serving_table.ts): one INSERT … SELECT … ON CONFLICT DO UPDATE over the chunk's
// stage rows ($1 run id, $2 partition keys), set-based, with the guarantees every source shares:
//  - a later load never erases a measured value (or a name) with NULL: kept columns coalesce;
//  - a row whose values did not change is not rewritten: the update's IS DISTINCT FROM guard;
//  - the fill columns start as the measured value ('measured'), or NULL ('none' for PV);
//    a measured value arriving later replaces a fill.
// Identifiers come from constant descriptions and are quoted; values are parameters only.
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

export function upsertSql(t: ServingTable): string {
  const key = t.key.map(ident).join(", ");
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
  return `
  with src as (
    select distinct on (${key}) *
    from ${qualifiedName(t.stage)}
    where run_id = $1 and partition = any($2::text[])
    order by ${key}
  ), up as (
    insert into ${qualifiedName(t.name)} as g (${columns})
    select ${values}
    from src
    on conflict (${key}) do update set
      ${set}
    where (${now})
      is distinct from (${before})
    returning (xmax = 0) as inserted
  )
  select (select count(*) from src)::int as staged,
         count(*) filter (where inserted)::int as inserted,
         count(*) filter (where not inserted)::int as updated
  from up`;
}

/** Rows served and a hash of their values, per partition of the chunk, after the upsert (not of what was staged). */
export function versionSql(t: ServingTable): string {
  const key = t.key.map(ident).join(", ");
  return `
  select s.partition, count(*)::int as rows,
         left(md5(string_agg(${t.version.row}, ',' order by ${t.version.order.map((c) => `g.${ident(c)}`).join(", ")})), 16) as version
  from (select distinct partition, ${key} from ${qualifiedName(t.stage)}
        where run_id = $1 and partition = any($2::text[])) s
  join ${qualifiedName(t.name)} g using (${key})
  group by s.partition`;
}
