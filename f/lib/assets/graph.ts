// Assets as typed data: key, upstream deps, partitions, code version, the step that materializes
// it, and its quality: the checks it declares and its fill policy. The graph can be printed,
// checked for cycles and ordered.
import type { AssetCheckSpec } from "../quality/check_spec.ts";
import type { FillModel } from "../quality/fill_model.ts";
import type { Source } from "../sources/source.ts";
import type { PartitionsDef, TimePartitions } from "./partitions.ts";

export interface AssetDef {
  key: string;               // 'kospo/hourly'
  description: string;
  deps: string[];            // upstream asset keys (same partitions: identity mapping)
  partitions: PartitionsDef;
  codeVersion: string;       // bump when the logic that writes the asset changes → partitions turn stale
  step: string;              // Windmill path of the step that materializes it: 'f/pv/ingest'
  table?: string;            // where the rows live
  /** Asset checks (Dagster's AssetCheckSpec): judged after every materialization and on demand. */
  checks?: readonly AssetCheckSpec[];
  /** How impute fills the gaps of the serving table (f/lib/quality/policies.ts); also the table model the checks read. */
  fillModel?: FillModel;
}

/**
 * An asset a source materializes: its rows are collected into the raw asset `raw`, staged and
 * ingested into the source's serving table (f/lib/load/), then checked and filled.
 */
export interface LoadedAsset<U = unknown, Api = unknown, F = unknown, S = unknown> extends AssetDef {
  source: Source<U, Api, F, S>;
  raw: AssetDef;
  table: string;
  fillModel: FillModel;
  checks: readonly AssetCheckSpec[];
  /** The time dimension of its partitions (a loaded asset always has one). */
  time: TimePartitions;
}

export class AssetCycleError extends Error {
  constructor(readonly cycle: string[]) {
    super(`asset graph has a cycle: ${cycle.join(" → ")}`);
    this.name = "AssetCycleError";
  }
}

export class UnknownAssetError extends Error {
  constructor(readonly key: string, readonly known: string[]) {
    super(`unknown asset "${key}" (known: ${known.join(", ")})`);
    this.name = "UnknownAssetError";
  }
}

export interface AssetGraph {
  assets: Map<string, AssetDef>;
  /** Upstream-first order. */
  order: string[];
  get(key: string): AssetDef;
  upstream(key: string): string[];
  downstream(key: string): string[];
}

export function buildGraph(defs: AssetDef[]): AssetGraph {
  const assets = new Map<string, AssetDef>();
  for (const d of defs) {
    if (assets.has(d.key)) throw new Error(`asset "${d.key}" is defined twice`);
    assets.set(d.key, d);
  }
  for (const d of defs) {
    for (const dep of d.deps) if (!assets.has(dep)) throw new UnknownAssetError(dep, [...assets.keys()]);
  }
  const order = topoSort(defs);
  const get = (key: string): AssetDef => {
    const a = assets.get(key);
    if (!a) throw new UnknownAssetError(key, [...assets.keys()]);
    return a;
  };
  const downstreamOf = (key: string) => defs.filter((d) => d.deps.includes(key)).map((d) => d.key);
  return {
    assets,
    order,
    get,
    upstream: (key) => [...get(key).deps],
    downstream: (key) => (get(key), downstreamOf(key)),
  };
}

/** Depth-first topological sort; a back edge is reported as the cycle it closes. */
export function topoSort(defs: AssetDef[]): string[] {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const state = new Map<string, "visiting" | "done">();
  const order: string[] = [];
  const path: string[] = [];
  const visit = (key: string) => {
    const s = state.get(key);
    if (s === "done") return;
    if (s === "visiting") throw new AssetCycleError([...path.slice(path.indexOf(key)), key]);
    state.set(key, "visiting");
    path.push(key);
    for (const dep of byKey.get(key)?.deps ?? []) visit(dep);
    path.pop();
    state.set(key, "done");
    order.push(key);
  };
  for (const d of [...defs].sort((a, b) => a.key.localeCompare(b.key))) visit(d.key);
  return order;
}

/** A readable listing: one line per asset with its deps, partitions and step, then its fill policy and checks. */
export function describeGraph(g: AssetGraph): string {
  return g.order
    .flatMap((k) => {
      const a = g.get(k);
      const deps = a.deps.length ? ` ← ${a.deps.join(", ")}` : "";
      const lines = [`${a.key}${deps}  [${describePartitions(a.partitions)}]  step ${a.step}  code ${a.codeVersion}`];
      if (a.fillModel) lines.push(`  fill policy: ${describeFillPolicy(a.fillModel)}`);
      for (const c of a.checks ?? []) {
        lines.push(`  check ${c.name.padEnd(21)} ${c.severity.padEnd(5)} ${c.blocking ? "blocking" : "        "}  ${c.description}`);
      }
      return lines;
    })
    .join("\n");
}

function describeFillPolicy(p: FillModel): string {
  // Only the policy's identity: its rules belong to f/lib/quality/policies.ts and docs/QUALITY.md.
  return p.kind === "pv" ? `${p.kind}, fills ${p.table}.${p.filledColumn}` : `${p.kind}, fills ${p.table} <field>${p.filledSuffix}`;
}

function describePartitions(p: PartitionsDef): string {
  switch (p.kind) {
    case "daily":
    case "monthly":
      return `${p.kind} from ${p.start} ${p.timezone}`;
    case "static":
      return `${p.name} (${p.keys.length})`;
    case "dynamic":
      return p.name;
    case "product":
      return p.dims.map(describePartitions).join(" × ");
  }
}
