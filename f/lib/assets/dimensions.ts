// Resolvers for dynamic partition dimensions (keys that live in the database): each source's unit
// dimension resolves to the units a plan without filters covers.
import type { Sql } from "../db/resource.ts";
import type { DimKey } from "../store/partition_states.ts";
import { LOADED_ASSETS } from "./catalog.ts";

export const DIMENSION_RESOLVERS: Record<string, (sql: Sql) => Promise<DimKey[]>> = Object.fromEntries(
  LOADED_ASSETS.flatMap((a) => {
    const d = a.source.units.dimension;
    return d?.kind === "dynamic" ? [[d.name, async (sql: Sql) => (await a.source.units.plan(sql, {})) ?? []]] : [];
  }),
);
