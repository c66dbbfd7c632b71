// An asset's declared quality, looked up by key: its checks and its fill model (catalog.ts). The
// steps and the CLI receive asset keys as strings; this is the one place they become declarations.
// A declaration may also be given directly (a source declared outside the catalog, as in a test).
import type { AssetCheckSpec } from "../quality/check_spec.ts";
import type { FillModel } from "../quality/fill_model.ts";
import { ActionableError } from "../runtime/errors.ts";
import { LOADED_ASSETS } from "./catalog.ts";
import type { AssetDef } from "./graph.ts";

export class UnknownQualityAsset extends ActionableError {
  constructor(asset: string, what: "checks" | "fill policy", known: string[]) {
    super(`asset "${asset}" declares no ${what} (assets with ${what}: ${known.join(", ")})`);
  }
}

export type CheckedAsset = AssetDef & { checks: readonly AssetCheckSpec[]; fillModel?: FillModel };
export type FilledAsset = AssetDef & { fillModel: FillModel };

export const CHECKED_ASSETS: CheckedAsset[] = LOADED_ASSETS.filter((a) => a.checks.length > 0);
export const FILLED_ASSETS: FilledAsset[] = LOADED_ASSETS;

export function checkedAsset(asset: string | CheckedAsset): CheckedAsset {
  if (typeof asset !== "string") return asset;
  const a = CHECKED_ASSETS.find((x) => x.key === asset);
  if (!a) throw new UnknownQualityAsset(asset, "checks", CHECKED_ASSETS.map((x) => x.key));
  return a;
}

export function fillModelOf(asset: string | FilledAsset): FillModel {
  if (typeof asset !== "string") return asset.fillModel;
  const a = FILLED_ASSETS.find((x) => x.key === asset);
  if (!a) throw new UnknownQualityAsset(asset, "fill policy", FILLED_ASSETS.map((x) => x.key));
  return a.fillModel;
}
