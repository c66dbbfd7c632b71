// Resolvers for dynamic partition dimensions (keys that live in the database).
import type { Sql } from "../db/resource.ts";
import { kospoDims } from "../sources/kospo/units.ts";
import { asosDims } from "../sources/asos/stations.ts";
import type { DimKey } from "../store/partition_states.ts";

export const DIMENSION_RESOLVERS: Record<string, (sql: Sql) => Promise<DimKey[]>> = {
  kospo_unit: (sql) => kospoDims(sql, {}),
  // The stations mapped to plants (plant_station): the weather the joined view needs.
  asos_station: (sql) => asosDims(sql, {}),
};
