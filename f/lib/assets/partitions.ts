// Partitions definitions: daily/monthly time windows in Asia/Seoul, static lists, dynamic lists
// resolved at plan time (plant units from the database), and products of any number of them.
import { addDays, addMonths, eachDay, KST, monthStart } from "../time/kst.ts";

export type TimePartitions =
  | { kind: "daily"; start: string; timezone: typeof KST }
  | { kind: "monthly"; start: string; timezone: typeof KST };
export type KeyPartitions =
  | { kind: "static"; name: string; keys: string[] }
  | { kind: "dynamic"; name: string }; // keys come from a resolver (e.g. plant units in the DB)
export type PartitionsDef = TimePartitions | KeyPartitions | { kind: "product"; dims: (TimePartitions | KeyPartitions)[] };

export const DIM_SEPARATOR = "|";

export const daily = (start: string): TimePartitions => ({ kind: "daily", start, timezone: KST });
export const monthly = (start: string): TimePartitions => ({ kind: "monthly", start: monthStart(start), timezone: KST });
export const staticKeys = (name: string, keys: string[]): KeyPartitions => {
  for (const k of keys) {
    if (k.includes(DIM_SEPARATOR)) throw new Error(`partition key "${k}" of ${name} must not contain "${DIM_SEPARATOR}"`);
  }
  return { kind: "static", name, keys };
};
export const dynamicKeys = (name: string): KeyPartitions => ({ kind: "dynamic", name });

/** Cross product; the time dimension (if any) must come first so keys sort by date. */
export function product(...dims: (TimePartitions | KeyPartitions)[]): PartitionsDef {
  if (dims.length < 2) throw new Error("a product of partitions needs at least two dimensions");
  const timeDims = dims.filter((d) => d.kind === "daily" || d.kind === "monthly");
  if (timeDims.length > 1) throw new Error("a product of partitions may have at most one time dimension");
  if (timeDims.length === 1 && dims[0] !== timeDims[0]) throw new Error("the time dimension must be the first");
  return { kind: "product", dims };
}

export function timeDimension(def: PartitionsDef): TimePartitions | null {
  if (def.kind === "daily" || def.kind === "monthly") return def;
  if (def.kind === "product") {
    const d = def.dims[0];
    return d.kind === "daily" || d.kind === "monthly" ? d : null;
  }
  return null;
}

export function keyDimensions(def: PartitionsDef): KeyPartitions[] {
  if (def.kind === "static" || def.kind === "dynamic") return [def];
  if (def.kind === "product") return def.dims.filter((d): d is KeyPartitions => d.kind === "static" || d.kind === "dynamic");
  return [];
}

/** Time-window keys in [start, end] (inclusive dates), clipped to the definition's start. */
export function timeKeys(def: TimePartitions, start: string, end: string): string[] {
  const from = start < def.start ? def.start : start;
  if (def.kind === "daily") return from > end ? [] : eachDay(from, end);
  const out: string[] = [];
  for (let m = monthStart(from); m <= end; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The [first, last] day covered by a time key. */
export function timeWindow(def: TimePartitions, key: string): { start: string; end: string } {
  if (def.kind === "daily") return { start: key, end: key };
  return { start: key, end: addDays(addMonths(key, 1), -1) };
}

export function splitPartitionKey(def: PartitionsDef, key: string): { timeKey: string | null; pdim: string | null } {
  const hasTime = timeDimension(def) !== null;
  const hasDims = keyDimensions(def).length > 0;
  if (hasTime && hasDims) {
    const i = key.indexOf(DIM_SEPARATOR);
    return { timeKey: key.slice(0, i), pdim: key.slice(i + 1) };
  }
  return hasTime ? { timeKey: key, pdim: null } : { timeKey: null, pdim: key };
}


/** Unit dimension key for a plant unit: `997S-1`. */
export const unitKey = (code: string, unit: number | string): string => `${code}-${unit}`;
