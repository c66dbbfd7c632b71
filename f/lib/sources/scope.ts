// What a backfill of each source means: the asset it ends in, the units it covers and how far
// back and forward data can exist. The planner step reads this; sources add their entry here.
import type { AssetDef } from "../assets/graph.ts";
import { asosHourly, koenHourly, kospoHourly } from "../assets/catalog.ts";
import type { Sql } from "../db/resource.ts";
import type { DimKey } from "../store/partition_states.ts";
import { kospoDims } from "./kospo/units.ts";
import { asosDims, type StationSet } from "./asos/stations.ts";
import { koenDims } from "./koen/plants.ts";
import { koenPartialMonths } from "./koen/raw_store.ts";

export interface SourceScope {
  /** The asset whose partition status decides what to (re)do. */
  asset: AssetDef;
  /** Keys of the non-time dimension for a filter, or null when the asset has none. */
  dims(sql: Sql, filter: { plant?: string; unit?: number; stations?: number[]; stationSet?: StationSet }): Promise<DimKey[] | null>;
  /** Longest chunk, in time keys. */
  maxChunk: number;
  /** Data exists up to yesterday (KST) for the daily APIs. */
  publishesUpTo: "yesterday" | "today";
  /** Partition keys in [start, end] to plan whatever the policy (e.g. KOEN months fetched while still partial). */
  alwaysPlan?(sql: Sql, range: { start: string; end: string }): Promise<string[]>;
}

export const SOURCE_SCOPES = {
  kospo: {
    asset: kospoHourly,
    dims: (sql, f) => kospoDims(sql, { gencd: f.plant, hogi: f.unit }),
    maxChunk: 31,
    publishesUpTo: "yesterday",
  },
  asos: {
    asset: asosHourly,
    // Explicit stations, else the stations mapped to plants (or every station with stationSet "all").
    dims: (sql, f) => asosDims(sql, { stations: f.stations, set: f.stationSet }),
    maxChunk: 31,
    publishesUpTo: "yesterday",
  },
  koen: {
    asset: koenHourly,
    dims: (_sql, f) => koenDims(f),
    // Months. One chunk = one sequential series of downloads (the site is fragile: no parallel sessions).
    maxChunk: 120,
    publishesUpTo: "yesterday",
    alwaysPlan: koenPartialMonths,
  },
} satisfies Record<string, SourceScope>;

export type SourceName = keyof typeof SOURCE_SCOPES;
export const SOURCE_NAMES = Object.keys(SOURCE_SCOPES) as SourceName[];
