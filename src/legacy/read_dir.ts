// Read the earlier pipeline's CSV archive (DOMAIN §1.8, §1.9, §2.4, §3.5), correct each row and put
// it in the sink. Where the files are looked for (relative to --from-dir):
//   nambu_bulk_<code>_<unit>.csv       pv_data_raw/ (or the top level): raw API items, one day per
//                                      row; merged again with today's merge (label N → (N−1):00)
//   nambu_processed_<code>_<unit>.csv  pv_data_processed/ (or the top level): the legacy merge's
//                                      long rows (timestamp = ymd + N h, 1 h late) → −1 h
//   south_pv_*.csv                     pv_data_raw/, pv_data/ or the top level: KOEN downloads, CP949
//   asos_*.csv, asos_all_merged.csv    data/ or the top level: weather, UTF-8 with BOM
import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import Papa from "papaparse";
import { decodeKoenBody, parseKoenCsv, validatePlantNames } from "../../f/lib/sources/koen/csv.ts";
import { koenRowToHourly } from "../../f/lib/sources/koen/to_hourly.ts";
import { kospoItemToHourly } from "../../f/lib/sources/kospo/to_hourly.ts";
import { parseNumber } from "../../f/lib/sources/numeric.ts";
import { normalizeYmd } from "../../f/lib/time/kst.ts";
import { addWeatherRow, type ReadContext } from "./read_db.ts";
import type { LegacySink } from "./sink.ts";
import { correctNambuProcessedTime, koenFileWindow, nambuFileUnit } from "./transforms.ts";

async function filesIn(root: string, dirs: string[], pattern: RegExp): Promise<string[]> {
  const out: string[] = [];
  for (const d of dirs) {
    const dir = join(root, d);
    let names: string[];
    try {
      if (!(await stat(dir)).isDirectory()) continue;
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const n of names.sort()) if (pattern.test(n)) out.push(join(dir, n));
  }
  return out;
}

/** Records of a UTF-8 CSV (a BOM is dropped), streamed, header names trimmed; line = 1-based record number. */
async function* csvRecords(path: string): AsyncGenerator<{ line: number; row: Record<string, string> }> {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, {
    header: true,
    skipEmptyLines: "greedy",
    transformHeader: (h: string) => h.replace(/^\uFEFF/, "").trim(),
  });
  createReadStream(path, { encoding: "utf8" }).pipe(parser);
  let line = 1;
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    line++;
    yield { line, row };
  }
}

const pick = (row: Record<string, string>, names: string[]): string | undefined => {
  for (const n of names) if (row[n] !== undefined && row[n] !== "") return row[n];
  return undefined;
};

export async function readLegacyDir(root: string, sink: LegacySink, ctx: ReadContext): Promise<void> {
  await readNambuBulk(root, sink);
  await readNambuProcessed(root, sink);
  await readKoenFiles(root, sink, ctx);
  await readAsosFiles(root, sink, ctx);
}

/** A Nambu file's unit: from its name (nambu_*_<code>_<unit>.csv), else from the row's gencd/hogi columns. */
function rowUnit(unit: ReturnType<typeof nambuFileUnit>, row: Record<string, string | undefined>): { gencd: string | undefined; hogi: number | null } {
  return { gencd: unit?.gencd ?? row.gencd?.trim(), hogi: unit?.hogi ?? parseNumber(row.hogi) };
}

/** Every row of the Nambu CSVs matching `o.pattern`, with its unit (from the file name, else its columns); a row without one is rejected. */
async function eachNambuRow(
  root: string,
  sink: LegacySink,
  o: { dirs: string[]; pattern: RegExp; none: string; noUnit: string; read: string },
  row: (r: { file: string; ref: number; gencd: string; hogi: number; row: Record<string, string> }) => Promise<void>,
): Promise<void> {
  const files = await filesIn(root, o.dirs, o.pattern);
  if (!files.length) return sink.note(`${o.none}: none found`);
  for (const [fi, path] of files.entries()) {
    const file = basename(path);
    const unit = nambuFileUnit(file);
    let n = 0;
    for await (const { line, row: r } of csvRecords(path)) {
      n++;
      const { gencd, hogi } = rowUnit(unit, r);
      if (!gencd || hogi === null) sink.reject(file, "?", o.noUnit);
      else await row({ file, ref: fi * 10_000_000 + line, gencd, hogi, row: r });
    }
    sink.note(`${file}: ${n} ${o.read} read`);
  }
}

async function readNambuBulk(root: string, sink: LegacySink): Promise<void> {
  const o = { dirs: ["pv_data_raw", "."], pattern: /^nambu_bulk_.+_\d+\.csv$/i, none: "nambu_bulk_*.csv", read: "unit-days",
    noUnit: "no plant code or unit (file name nambu_bulk_<code>_<unit>.csv or gencd/hogi columns)" };
  await eachNambuRow(root, sink, o, async ({ file, ref, gencd, hogi, row }) => {
    const ymd = normalizeYmd(row.ymd ?? "");
    if (!ymd) return sink.reject(file, `${gencd}-${hogi}`, "ymd is not a date");
    // Today's merge of a raw item: label N → (N − 1):00 KST, missing values stay NULL.
    for (const h of kospoItemToHourly(row, { gencd, hogi, ymd }, null)) {
      await sink.addKospo({
        origin: "bulk_csv", ref, gencd, hogi, plantName: h.plantName, datetime: h.datetime, shifted: false,
        generation: h.generation, dailyTotal: h.dailyTotal, dailyAvg: h.dailyAvg, dailyMax: h.dailyMax, dailyMin: h.dailyMin,
      });
    }
  });
}

async function readNambuProcessed(root: string, sink: LegacySink): Promise<void> {
  const o = { dirs: ["pv_data_processed", "."], pattern: /^nambu_processed_.+_\d+\.csv$/i, none: "nambu_processed_*.csv", read: "rows", noUnit: "no plant code or unit" };
  await eachNambuRow(root, sink, o, async ({ file, ref, gencd, hogi, row }) => {
    const t = correctNambuProcessedTime(pick(row, ["timestamp", "datetime"]) ?? "");
    if (!t) return sink.reject(file, `${gencd}-${hogi}`, "no readable timestamp");
    await sink.addKospo({
      origin: "processed_csv", ref, gencd, hogi,
      plantName: pick(row, ["ipptnm", "발전소명", "plant_name"])?.trim() ?? null, ...t,
      generation: parseNumber(pick(row, ["generation", "value", "발전량"])),
      dailyTotal: parseNumber(row.qvodgen), dailyAvg: parseNumber(row.qvodavg), dailyMax: parseNumber(row.qvodmax), dailyMin: parseNumber(row.qvodmin),
    });
  });
}

async function readKoenFiles(root: string, sink: LegacySink, ctx: ReadContext): Promise<void> {
  const known = new Set(ctx.koenUnits.map((u) => u.plant_name));
  const files = await filesIn(root, [".", "pv_data_raw", "pv_data"], /^south_pv_.*\.csv$/i);
  if (!files.length) return sink.note("south_pv_*.csv: none found");
  for (const [fi, path] of files.entries()) {
    const file = basename(path);
    const window = koenFileWindow(file) ?? undefined;
    const request = `archive file ${file}`;
    let rows;
    try {
      const { text, encoding } = decodeKoenBody(await readFile(path));
      const csv = parseKoenCsv(text, { request, window, encoding });
      // Same name checks as a download: a file stored with mojibake never creates plants (DOMAIN §9.13).
      validatePlantNames(csv, known, request);
      rows = csv.rows;
    } catch (e) {
      sink.reject(file, "(whole file)", (e as Error).message);
      sink.note(`${file}: rejected`);
      continue;
    }
    for (const r of rows) {
      for (const h of koenRowToHourly(r)) {
        await sink.addKoen({
          origin: "koen_csv", ref: fi * 10_000_000 + r.line, legacyName: r.plantName, plantName: h.plantName, hogi: h.hogi,
          datetime: h.datetime, hour: h.hour, shifted: false, generation: h.generation,
          dailyTotal: h.dailyTotal, dailyAvg: h.dailyAvg, dailyMax: h.dailyMax, dailyMin: h.dailyMin,
        });
      }
    }
    sink.note(`${file}: ${rows.length} unit-days read`);
  }
}

async function readAsosFiles(root: string, sink: LegacySink, ctx: ReadContext): Promise<void> {
  const files = await filesIn(root, [".", "data"], /^asos_.*\.csv$/i);
  if (!files.length) return sink.note("asos_*.csv: none found");
  for (const [fi, path] of files.entries()) {
    const file = basename(path);
    const origin = /^asos_all_merged\.csv$/i.test(file) ? "csv_merged" : "csv";
    let n = 0;
    for await (const { line, row } of csvRecords(path)) {
      n++;
      await addWeatherRow(sink, ctx, file, origin, fi * 10_000_000 + line, {
        time: pick(row, ["date", "tm", "timestamp"]), station: pick(row, ["station_name", "stnNm"]),
        ta: pick(row, ["temperature", "ta"]), hm: pick(row, ["humidity", "hm"]), icsr: pick(row, ["solar radiation", "solar_radiation", "icsr"]),
      });
    }
    sink.note(`${file}: ${n} rows read`);
  }
}
