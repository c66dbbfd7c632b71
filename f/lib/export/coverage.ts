// Which partitions of the range an export covers are not loaded (never materialized, or whose
// latest attempt failed), per source, found by the planner (gaps-and-islands, never an
// enumeration), with the backfill command that loads exactly them.
import type { AssetDef } from "../assets/graph.ts";
import { asosHourly, koenHourly, kospoHourly } from "../assets/catalog.ts";
import type { Sql } from "../db/resource.ts";
import { planChunks } from "../planner/plan.ts";
import type { DimKey } from "../store/partition_states.ts";
import { addDays } from "../time/kst.ts";
import type { DatasetId } from "./datasets.ts";
import type { ExportUnit } from "./units.ts";

export interface MissingPartitions {
  asset: string;
  /** Partitions not loaded (missing or failed). */
  partitions: number;
  /** Contiguous runs: unit (or null) and first..last time key. */
  runs: { unit: string | null; start: string; end: string; partitions: number }[];
  /** The command that loads them. */
  command: string;
}

interface SourceRange {
  source: "kospo" | "koen" | "asos";
  asset: AssetDef;
  start: string;
  end: string;
  dims: DimKey[] | null;
  /** Station ids for the command (asos), when not every mapped station. */
  stations: number[];
  gencd: string | null;
}

/** The sources and ranges an export of these units reads. */
export function sourcesOf(dataset: DatasetId, units: ExportUnit[], range: { start: string; end: string }, explicitStations: boolean): SourceRange[] {
  const out: SourceRange[] = [];
  const kospo = units.filter((u) => u.branch === "kospo");
  const gencds = [...new Set(kospo.map((u) => u.code))];
  if (kospo.length) {
    out.push({ source: "kospo", asset: kospoHourly, ...range, dims: kospo.map((u) => ({ key: `${u.code}-${u.hogi}` })), stations: [], gencd: gencds.length === 1 ? gencds[0] : null });
  }
  if (units.some((u) => u.branch === "koen")) out.push({ source: "koen", asset: koenHourly, ...range, dims: null, stations: [], gencd: null });
  const stations = [...new Set(units.flatMap((u) => [u.stn, u.solarStn]).filter((s): s is number => s !== null))].sort((a, b) => a - b);
  if (stations.length) {
    // pv_weather joins the hour [T, T+1 h) to the observation at T + 1 h: the last hour's is the next day's first.
    const end = dataset === "pv_weather" ? addDays(range.end, 1) : range.end;
    out.push({ source: "asos", asset: asosHourly, start: range.start, end, dims: stations.map((s) => ({ key: String(s) })), stations: explicitStations ? stations : [], gencd: null });
  }
  return out;
}

function loadCommand(s: SourceRange): string {
  const stations = s.stations.map((id) => ` --station ${id}`).join("");
  const gencd = s.gencd ? ` --gencd ${s.gencd}` : "";
  return `pvpipe backfill --source ${s.source} --start ${s.start} --end ${s.end}${gencd}${stations} --policy missing+failed`;
}

/** Not-loaded partitions per source (sources with none are left out). */
export async function missingPartitions(sql: Sql, sources: SourceRange[]): Promise<MissingPartitions[]> {
  const out: MissingPartitions[] = [];
  for (const s of sources) {
    const chunks = await planChunks(sql, { asset: s.asset, start: s.start, end: s.end, dims: s.dims, policy: "missing+failed", maxChunk: 100_000 });
    const partitions = chunks.reduce((n, c) => n + c.partitions, 0);
    if (partitions === 0) continue;
    out.push({ asset: s.asset.key, partitions, runs: chunks.map((c) => ({ unit: c.pdim, start: c.start, end: c.end, partitions: c.partitions })), command: loadCommand(s) });
  }
  return out;
}

/** One line: what is missing, and how to load it. */
export function describeMissing(missing: MissingPartitions[], maxRuns = 3): string {
  return missing
    .map((m) => {
      const runs = m.runs.slice(0, maxRuns).map((r) => `${r.unit ? `${r.unit} ` : ""}${r.start}..${r.end}`);
      const more = m.runs.length > maxRuns ? `, … ${m.runs.length - maxRuns} more` : "";
      return `${m.asset}: ${m.partitions} partition${m.partitions === 1 ? "" : "s"} not loaded (${runs.join(", ")}${more}); load with: ${m.command}`;
    })
    .join("; ");
}

