// An asset's declared quality, looked up by key: its checks and its fill policy (catalog.ts). The
// steps and the CLI receive asset keys as strings; this is the one place they become declarations.
import type { AssetCheckSpec } from "../quality/check_spec.ts";
import type { ImputePolicy } from "../quality/policies.ts";
import { ASSETS } from "./catalog.ts";
import type { AssetDef } from "./graph.ts";

export class UnknownQualityAsset extends Error {
  readonly retryable = false;
  constructor(asset: string, what: "checks" | "fill policy", known: string[]) {
    super(`asset "${asset}" declares no ${what} (assets with ${what}: ${known.join(", ")})`);
    this.name = "UnknownQualityAsset";
  }
}

export type CheckedAsset = AssetDef & { checks: readonly AssetCheckSpec[] };
export type FilledAsset = AssetDef & { fillPolicy: ImputePolicy };

export const CHECKED_ASSETS: CheckedAsset[] = ASSETS.filter((a): a is CheckedAsset => (a.checks?.length ?? 0) > 0);
export const FILLED_ASSETS: FilledAsset[] = ASSETS.filter((a): a is FilledAsset => a.fillPolicy !== undefined);

export function checkedAsset(key: string): CheckedAsset {
  const a = CHECKED_ASSETS.find((x) => x.key === key);
  if (!a) throw new UnknownQualityAsset(key, "checks", CHECKED_ASSETS.map((x) => x.key));
  return a;
}

export function fillPolicyOf(key: string): ImputePolicy {
  const a = FILLED_ASSETS.find((x) => x.key === key);
  if (!a) throw new UnknownQualityAsset(key, "fill policy", FILLED_ASSETS.map((x) => x.key));
  return a.fillPolicy;
}
