// The sources, as the catalog's served assets name them: the `--source` values, the flow form's
// choices, the planner's scope and the chunk flows all come from here, never from a list of their own.
import { ActionableError } from "../runtime/errors.ts";
import { LOADED_ASSETS } from "./catalog.ts";
import type { LoadedAsset } from "./graph.ts";

/** A source name nothing in the catalog serves: the person picks one of those listed. */
export class UnknownSource extends ActionableError {
  constructor(source: string) {
    super(`unknown source "${source}" (known: ${SOURCE_NAMES.join(", ")})`);
  }
}

const [first, ...rest] = LOADED_ASSETS.map((a) => a.source.name);
if (first === undefined) throw new Error("the catalog declares no source");

/** Every source name, in catalog order (a non-empty list, as z.enum wants it). */
export const SOURCE_NAMES: [string, ...string[]] = [first, ...rest];

/** The asset a source serves (collect, stage and ingest of that source load it). */
export function assetOfSource(source: string): LoadedAsset {
  const a = LOADED_ASSETS.find((x) => x.source.name === source);
  if (!a) throw new UnknownSource(source);
  return a;
}
