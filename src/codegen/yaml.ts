// One YAML style for every generated Windmill file: keys in insertion order (the generators build
// objects in a fixed order), no line folding, no anchors, a trailing newline.
import { stringify } from "yaml";

export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false, indent: 2 });
}

/** A copy without `undefined` values (they would otherwise be dropped silently, or not). */
export function compact<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
