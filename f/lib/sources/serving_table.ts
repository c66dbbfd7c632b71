// A serving table described as data: its key, what a later load overwrites and what it keeps, its
// fill columns, its units and how a served row enters the data version. The generic ingest
// (f/lib/load/upsert_sql.ts) generates its upsert from this; impute and the checks read the same
// description through the asset's fill model (f/lib/quality/fill_model.ts).

/** Where a unit's identity, coordinates and attributes live. */
export interface UnitModel {
  /** Identity columns, named alike in the serving table and the units table (the key's first columns). */
  columns: readonly string[];
  /** SQL types of the identity columns (for jsonb_to_recordset). */
  types: readonly string[];
  /** SQL of the unit key (the partition key's unit part) from a row aliased `alias`: `(a.gencd || '-' || a.hogi)`. */
  keySql: (alias: string) => string;
  /** The units table: coordinates and attributes. */
  table: string;
  latitude: string;
  longitude: string;
  /** PV: rated power (kW), quality grade and the first day hourly values are valid; null when the source has none. */
  capacity?: string | null;
  quality?: string | null;
  hourlyValidFrom?: string | null;
  /** Weather: boolean column, the station has the sensor of the night-zero fields (pyranometer). */
  nightZeroWhere?: string;
  /**
   * A unit a load brings that the units table does not know is added to it (NULL coordinates) with
   * the run that found it, and reported as a warning of the asset (`new_plant_unit`).
   */
  register?: { runColumn: string; atColumn: string; describe(unit: Readonly<Record<string, unknown>>): string };
}

export type FillColumns =
  /** PV: one measured column, its gap-free twin and the method of each value; the source's daily total. */
  | { kind: "value"; value: string; filled: string; method: string; dailyTotal: string | null }
  /** Weather: several measured fields, each with `<field><suffix>`, and one jsonb column field → method. */
  | { kind: "fields"; fields: readonly string[]; suffix: string; methods: string };

export interface ServingTable {
  /** Schema-qualified: `public.nambu_generation`. */
  name: string;
  /** The run-scoped stage table: `run_id`, `partition`, then `stageColumns` (what a source's rows hold). */
  stage: string;
  stageColumns: readonly string[];
  /** The primary key: the unit's identity columns, then `datetime`. */
  key: readonly string[];
  /** Overwritten by every load (KOEN's hour label). */
  replaced: readonly string[];
  /** Kept when a later load has NULL: a measured value, or a name, is never erased. */
  kept: readonly string[];
  fill: FillColumns;
  units: UnitModel;
  /** SQL of how a served row (alias `g`) enters its partition's data version, and the rows' order. */
  version: { row: string; order: readonly string[] };
}

/** `"public.nambu_generation"` → `"public"."nambu_generation"` (names are constants, quoted anyway). */
export function qualifiedName(name: string): string {
  return name
    .split(".")
    .map((p) => ident(p))
    .join(".");
}

export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
