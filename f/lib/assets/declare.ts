// How the catalog declares assets: a source's raw asset (what collect keeps), and the asset the
// source serves (what ingest loads into its table, with its checks and fill rules). Everything a
// registry needs — partitions, dependencies, table, source, checks, fill model, code version — is
// derived here from that one declaration.
import { CheckDeclarationError, type AssetCheckSpec } from "../quality/check_spec.ts";
import { FillDeclarationError, fillModel, type FillRules, type Partitioning } from "../quality/fill_model.ts";
import type { Source } from "../sources/source.ts";
import type { AssetDef, LoadedAsset } from "./graph.ts";
import { keyDimensions, product, timeDimension, type PartitionsDef, type TimePartitions } from "./partitions.ts";

/** A source's partitions: the time windows, times its unit dimension when it has one. */
export function sourcePartitions(source: Source, time: TimePartitions): PartitionsDef {
  return source.units.dimension ? product(time, source.units.dimension) : time;
}

/** A source's raw asset: what collect keeps, one stored fetch per partition (code version 1 until collect's logic changes). */
export function rawAsset(source: Source, key: string, time: TimePartitions, description: string, codeVersion = "1"): AssetDef {
  return { key, description, deps: [], partitions: sourcePartitions(source, time), codeVersion, step: "f/pv/collect", table: source.raw.table };
}

export function loadedAsset<U, Api, F, S>(
  raw: AssetDef,
  source: Source<U, Api, F, S>,
  a: { key: string; description: string; codeVersion: string; fill: FillRules; checks: readonly AssetCheckSpec[] },
): LoadedAsset<U, Api, F, S> {
  const time = timeDimension(raw.partitions);
  if (!time) throw new CheckDeclarationError(a.key, "partitions", "need a time dimension");
  return {
    key: a.key,
    description: a.description,
    deps: [raw.key],
    partitions: raw.partitions,
    codeVersion: a.codeVersion,
    step: "f/pv/ingest",
    table: source.table.name,
    source,
    raw,
    time,
    checks: a.checks,
    fillModel: fillModel(a.key, partitioning(a.key, raw.partitions, time), source.table, a.fill),
  };
}

/** How a loaded asset's partitions cover its table's rows (impute and the checks slice by it). */
function partitioning(asset: string, p: PartitionsDef, time: TimePartitions): Partitioning {
  const units = keyDimensions(p).length;
  if (time.kind === "daily" && units === 1) return { kind: "daily_unit" };
  if (time.kind === "monthly" && units === 0) return { kind: "monthly" };
  throw new CheckDeclarationError(asset, "partitions", "must be daily × one unit dimension, or monthly without one");
}

/** A declaration error surfaces when the catalog loads, not in the middle of a backfill. */
export function validateQuality(assets: readonly AssetDef[]): void {
  for (const a of assets) {
    const names = new Set<string>();
    for (const c of a.checks ?? []) {
      if (names.has(c.name)) throw new CheckDeclarationError(a.key, c.name, "is declared twice");
      names.add(c.name);
      if (c.kind !== "subject") continue;
      if (!a.fillModel) throw new CheckDeclarationError(a.key, c.name, "needs the asset's table model (fillModel)");
      if (a.fillModel.asset !== a.key) throw new CheckDeclarationError(a.key, c.name, `reads the table model of ${a.fillModel.asset}`);
      const why = c.fits(a.fillModel);
      if (why) throw new CheckDeclarationError(a.key, c.name, why);
    }
    // A PV asset's station reference names a weather asset of the catalog that fills its field.
    const station = a.fillModel?.kind === "pv" ? a.fillModel.fill.references?.station : null;
    if (station) {
      const w = assets.find((x) => x.key === station.asset)?.fillModel;
      if (w?.kind !== "weather" || !w.fields.some((f) => f.field === station.field)) {
        throw new FillDeclarationError(a.key, `take their station reference from ${station.asset} ${station.field}, which is no weather asset's field`);
      }
    }
  }
}
