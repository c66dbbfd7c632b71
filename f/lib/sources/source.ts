// A source behind one interface: how its partitions' units are keyed and planned, how a chunk's
// raw payloads are fetched and kept, how a stored payload turns into stage rows, and the serving
// table those rows land in. Collect, stage and ingest (f/lib/load/) are generic over it; an asset
// that a source materializes names it in its declaration (f/lib/assets/catalog.ts).
import type { z } from "zod";
import type { UnitCodec } from "../assets/partition_key.ts";
import type { KeyPartitions } from "../assets/partitions.ts";
import type { CopyValue } from "../db/copy.ts";
import type { Sql } from "../db/resource.ts";
import type { DimKey } from "../store/partition_states.ts";
import type { ServingTable } from "./serving_table.ts";

export type FetchOutcome = "data" | "empty" | "failed";

/** The filters a plan may give (each source reads the ones it knows and refuses the others). */
export interface UnitFilter {
  plant?: string;
  unit?: number;
  stations?: number[];
  stationSet?: "mapped" | "all";
}

/** One partition's fetch as the raw store keeps it, with what its raw materialization records. */
export interface Fetched<F> {
  partition: string;
  outcome: FetchOutcome;
  payload: F;
  /** Rows (items, CSV rows) the payload holds, and a hash of it: the raw asset's row count and data version. */
  rows: number;
  version: string | null;
  error: string | null;
}

export interface FetchRequest<U, Api> {
  sql: Sql;
  runId: string;
  api: Api;
  unit: U;
  /** The chunk's time keys still to fetch (days, or months), in order. */
  todo: string[];
  signal: AbortSignal;
  /** Takes a request from the run's budget before each HTTP attempt (budgeted sources only). */
  beforeRequest?: () => Promise<void>;
  concurrency: number;
  requestsPerSecond: number;
  /** What the step reports: the source keeps it current, also when the fetch stops early (quota, budget). */
  stats: FetchStats;
}

export interface FetchStats {
  requests: number;
  retries: number;
  /** What else the collect step reports (KOEN: partial months, bytes). */
  extra: Record<string, unknown>;
}

/** A partition's latest stored fetch, read back for staging. */
export interface Stored<S> {
  partition: string;
  outcome: FetchOutcome;
  payload: S | null;
  error: string | null;
}

/** A payload turned into stage rows (in `ServingTable.stageColumns` order), produced lazily. */
export interface Staged {
  /** False when the payload holds no rows (the partition is `empty`). */
  any: boolean;
  rows: Iterable<CopyValue[]>;
}

export interface Source<U = unknown, Api = unknown, F = unknown, S = unknown> {
  /** `--source`, the flow input, the prefix of the chunk's module ids: `kospo`. */
  readonly name: string;
  /** For people: `KOSPO`, and the flow form's line about the source. */
  readonly label: string;
  readonly description: string;
  readonly units: {
    /** The partitions' unit dimension, or null when a partition holds every unit (a KOEN month). */
    readonly dimension: KeyPartitions | null;
    readonly codec: UnitCodec<U>;
    /** The filters a plan of this source takes (`--gencd/--hogi` are plant/unit, `--station` stations). */
    readonly filters: readonly (keyof UnitFilter)[];
    /** The unit keys a plan covers for a filter (null without a unit dimension). */
    plan(sql: Sql, filter: UnitFilter): Promise<DimKey[] | null>;
    /** What a chunk covers, for step results and logs: `997S-1`, `station 108`, `2024-06..2024-08`. */
    label(chunk: { pdim: string | null; start: string; end: string }): string;
  };
  readonly planning: {
    /** Longest chunk, in time keys. */
    maxChunk: number;
    /** Data exists up to yesterday (KST) for the daily APIs. */
    publishesUpTo: "yesterday" | "today";
    /** Partition keys in a range to plan whatever the policy, and to fetch again (KOEN months fetched while partial). */
    alwaysPlan?(sql: Sql, range: { start: string; end: string }): Promise<string[]>;
  };
  /** The resource the flows pass to collect (`$res:f/pv/<resource>`), parsed at the step's edge. */
  readonly api: { resource: string; schema: z.ZodType<Api> };
  /** data.go.kr sources: requests count against a key's daily quota and honour a run's request budget. */
  readonly quota?: { keyVariable(api: Api): string };
  /** How the chunk loop retries the fetch (the KOEN site wants longer pauses). */
  readonly retry: { attempts: number; seconds: number };
  /** Fetch these time keys of one unit, handing each batch of fetches to `store` as they arrive. */
  fetch(req: FetchRequest<U, Api>, store: (batch: Fetched<F>[]) => Promise<void>): Promise<void>;
  readonly raw: {
    /** `raw.kospo_items`: exact payloads, one row per partition fetch, never edited. */
    table: string;
    insert(tx: Sql, runId: string, batch: Fetched<F>[]): Promise<void>;
    /** The latest stored fetch of each partition of a chunk. */
    latest(tx: Sql, chunk: { unit: U; start: string; end: string; partitions: string[] }): Promise<Stored<S>[]>;
  };
  /** A stored payload as stage rows; throws a SourceError when the payload cannot be read (the partition fails). */
  stage(payload: S): Staged;
  readonly table: ServingTable;
}
