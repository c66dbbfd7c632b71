// The manifest beside an exported file (`<file>.manifest.json`): what was exported, from which
// data, so a dataset can be reproduced and compared later — the command (secrets redacted by the
// caller), the range and selection, the columns, row counts per unit, values per provenance
// method, the partitions read with their data versions, partitions not loaded, the checks failing
// in the range, the file's sha256 and pvpipe's version. The two long sections (data versions,
// failing checks) are streamed from the database into the file, so memory stays flat.
import { writeSync } from "node:fs";
import type { Sql } from "../db/resource.ts";
import type { MissingPartitions } from "./coverage.ts";
import type { ExportUnit } from "./units.ts";

export interface ManifestHead {
  pvpipe_version: string;
  command: string;
  created_at: string;
  dataset: string;
  title: string;
  row: string;
  format: string;
  file: { name: string; bytes: number; sha256: string; bom?: boolean };
  measured_only: boolean;
  range: { start: string; end: string; from: string; to: string };
  selection: { plants: string[]; units: number[]; stations: number[] };
  columns: { name: string; type: string; doc: string }[];
  rows: number;
  rows_per_unit: Record<string, number>;
  /** Per provenance column: exported values per method; a NULL method (no filled value) counts under "(null)". */
  fill_methods: Record<string, Record<string, number>>;
  missing_partitions: MissingPartitions[];
}

/** Where the data versions of an export's partitions are read: asset, time keys and units. */
export interface PartitionScope {
  asset: string;
  start: string;
  end: string;
  /** Dimension keys (units, stations); null = the asset has none (KOEN months). */
  pdims: string[] | null;
}

/** Where the failing checks of an export are read. */
export interface CheckScope {
  asset: string;
  start: string;
  end: string;
  units: string[];
}

/** Manifest unit keys → the check/partition unit keys of its asset ('kospo:997S-1' → '997S-1'). */
export const assetUnitKey = (u: ExportUnit): string => (u.branch === "asos" ? u.code : `${u.code}-${u.hogi}`);

/** Rows per fetch: unit-years of data versions, failing checks. */
const BATCH = 500;

/** Write the manifest to `fd`: the head, then data versions and failing checks streamed from `sql`. */
export async function writeManifest(fd: number, sql: Sql, head: ManifestHead, parts: PartitionScope[], checks: CheckScope[]): Promise<void> {
  const headText = JSON.stringify(head, null, 2);
  writeSync(fd, `${headText.slice(0, -2)},\n  "data_versions": {`);
  let firstAsset = true;
  for (const p of parts) {
    writeSync(fd, `${firstAsset ? "" : ","}\n    ${JSON.stringify(p.asset)}: {`);
    firstAsset = false;
    let unit: string | null = null;
    // PostgreSQL writes the JSON of a unit-year's versions: one row and string per unit-year
    // (a row object per partition, 131 k of them over 10 years, was 30 MB of garbage at once).
    const cursor = sql<{ unit: string; body: string }[]>`
      select coalesce(pdim, '') as unit,
             string_agg(to_json(to_char(pdate, 'YYYY-MM-DD'))::text || ': ' || coalesce(to_json(data_version)::text, 'null'), ',' order by pdate) as body
      from ops.asset_partitions
      where asset = ${p.asset} and pdate >= ${p.start}::date and pdate <= ${p.end}::date
        and (${p.pdims === null} or pdim = any(${p.pdims ?? []}::text[]))
      group by pdim, date_part('year', pdate)
      order by pdim, date_part('year', pdate)`.cursor(BATCH);
    for await (const rows of cursor) {
      const lines: string[] = [];
      for (const r of rows) {
        lines.push(r.unit !== unit ? `${unit === null ? "" : "},"}\n      ${JSON.stringify(r.unit)}: {` : ",", r.body);
        unit = r.unit;
      }
      writeSync(fd, lines.join(""));
    }
    writeSync(fd, unit === null ? "}" : "}\n    }");
  }
  writeSync(fd, `\n  },\n  "failing_checks": [`);
  let first = true;
  for (const c of checks) {
    const cursor = sql<Record<string, unknown>[]>`
      select asset, check_name, partition, to_char(day, 'YYYY-MM-DD') as day, unit, severity, blocking, value, message
      from reporting.check_failures
      where asset = ${c.asset} and day >= ${c.start}::date and day <= ${c.end}::date
        and (unit is null or unit = any(${c.units}::text[]))
      order by day, unit, check_name`.cursor(BATCH);
    for await (const rows of cursor) {
      writeSync(fd, rows.map((r) => `${first ? ((first = false), "") : ","}\n    ${JSON.stringify(r)}`).join(""));
    }
  }
  writeSync(fd, `${first ? "" : "\n  "}]\n}\n`);
}
