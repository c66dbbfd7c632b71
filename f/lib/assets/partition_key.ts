// Partition keys that keep their dimensions (as Dagster's MultiPartitionKey): the time key and the
// unit, typed, with the text stored in ops and raw (`2024-06-01|997S-1`) written and read here only.
import { DIM_SEPARATOR } from "./partitions.ts";

/** How a source's unit (a plant unit, a station) is written in a key and read back: `997S-1` ↔ {gencd, hogi}. */
export interface UnitCodec<U> {
  /** False for partitions without a unit dimension (a KOEN month holds every plant). */
  readonly keyed: boolean;
  format(unit: U): string;
  /** Throws an error naming what a key should look like. */
  parse(key: string): U;
}

export const NO_UNIT: UnitCodec<null> = { keyed: false, format: () => "", parse: () => null };

export interface PartitionKey<U> {
  /** The time window's key: the day, or the month's first day. */
  readonly time: string;
  readonly unit: U;
  /** As stored: `2024-06-01|997S-1`, or `2024-06-01` without a unit. */
  readonly text: string;
}

export function keyOf<U>(codec: UnitCodec<U>, time: string, unit: U): PartitionKey<U> {
  return { time, unit, text: codec.keyed ? `${time}${DIM_SEPARATOR}${codec.format(unit)}` : time };
}

export function readKey<U>(codec: UnitCodec<U>, text: string): PartitionKey<U> {
  if (!codec.keyed) return { time: text, unit: codec.parse(""), text };
  const i = text.indexOf(DIM_SEPARATOR);
  if (i < 0) throw new RangeError(`partition key "${text}" has no unit (expected <time>${DIM_SEPARATOR}<unit>)`);
  return { time: text.slice(0, i), unit: codec.parse(text.slice(i + 1)), text };
}
