// KOEN PV CSV (koenergy.kr csvDown.do, DOMAIN §2.3, §2.5, §14): sniff the body, decode CP949, parse
// with papaparse, find the columns by header pattern and validate plant names. Pure functions: the
// collect step uses them to decide a month's outcome, the merge step to produce hourly rows.
import iconv from "iconv-lite";
import Papa from "papaparse";
import { normalizeYmd } from "../../time/kst.ts";
import { BadPayload, SourceReturnedHtml } from "../errors.ts";
import { parseNumber } from "../numeric.ts";

export const KOEN_SOURCE = "KOEN koenergy.kr";
/** Below this size a "CSV" is an error message (the site answers e.g. 476-byte error bodies with HTTP 200). */
export const KOEN_MIN_CSV_BYTES = 2000;

export interface KoenCsvRow {
  line: number; // 1-based line of the CSV record
  plantName: string; // 발전구분 as the source spells it (trimmed, inner spacing kept)
  hogi: number; // 호기; 1 when blank
  date: string; // 일자 as YYYY-MM-DD
  hours: (number | null)[]; // labels 1..24 (index 0 = label 1), kWh, null = no value
  dailyTotal: number | null; // kWh whatever the header's unit label says (DOMAIN §9.15)
  dailyAvg: number | null;
  dailyMax: number | null;
  dailyMin: number | null;
}

export interface KoenCsv {
  encoding: "cp949" | "utf-8";
  header: string[];
  rows: KoenCsvRow[];
  /** Records left out, with why (totals lines, days outside the requested window). */
  skipped: { line: number; reason: string }[];
}

// ---------------------------------------------------------------------------------------------
// Sniffing

/** Reject what cannot be a CSV download: an HTML page (whatever the status), or a tiny error body. */
export function sniffKoenBody(
  body: Uint8Array,
  meta: { contentType: string | null; status: number; request: string; minBytes?: number },
): void {
  const head = Buffer.from(body.subarray(0, 1024)).toString("latin1").replace(/^\uFEFF|^\xEF\xBB\xBF/, "").trimStart().toLowerCase();
  const htmlType = /\bhtml\b/i.test(meta.contentType ?? "");
  if (htmlType || head.startsWith("<!doctype") || head.startsWith("<html") || head.includes("<head") || head.startsWith("<script")) {
    throw new SourceReturnedHtml(KOEN_SOURCE, meta.request, meta.status);
  }
  const minBytes = meta.minBytes ?? KOEN_MIN_CSV_BYTES;
  if (body.length < minBytes) {
    throw new BadPayload(
      KOEN_SOURCE,
      meta.request,
      `the body is only ${body.length} bytes (a month of KOEN PV data is far larger; small bodies are error messages): ${preview(body)}`,
    );
  }
}

/** A short, printable excerpt of a body for messages. */
export function preview(body: Uint8Array, max = 160): string {
  const text = decodeKoenBody(body).text.replace(/\s+/g, " ").trim();
  const clean = [...text].map((c) => (/[\p{C}]/u.test(c) ? "?" : c)).join("");
  return JSON.stringify(clean.length > max ? `${clean.slice(0, max)}…` : clean);
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** CP949 (the site's encoding); a UTF-8 byte-order mark means UTF-8. Invalid bytes become U+FFFD. */
export function decodeKoenBody(body: Uint8Array): { text: string; encoding: "cp949" | "utf-8" } {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: buf.subarray(3).toString("utf8"), encoding: "utf-8" };
  }
  return { text: iconv.decode(buf, "cp949"), encoding: "cp949" };
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Header text as compared: whitespace (also newlines inside quoted headers) collapsed, trimmed. */
export const normalizeHeader = (h: string): string => h.replace(/^\uFEFF/, "").replace(/\s+/g, " ").trim();

const PLANT_HEADERS = ["발전구분", "발전소명", "발전소"];
const UNIT_HEADERS = ["호기"];
const DATE_HEADERS = ["일자", "날짜", "년월일", "일시"];
const HOUR_HEADER = /^(\d{1,2})\s*시\s*발전량/; // DOMAIN §2.5
const SUMMARY_HEADERS: [keyof Pick<KoenCsvRow, "dailyTotal" | "dailyAvg" | "dailyMax" | "dailyMin">, RegExp][] = [
  ["dailyTotal", /^(총량|합계|총발전량|일합계)/],
  ["dailyAvg", /^평균/],
  ["dailyMax", /^최대/],
  ["dailyMin", /^최소/],
];
const TOTAL_ROW_NAMES = new Set(["합계", "총계", "소계", "계", "total"]);

interface Columns {
  plant: number;
  unit: number;
  date: number;
  hours: number[]; // column of label 1..24
  summary: Partial<Record<"dailyTotal" | "dailyAvg" | "dailyMax" | "dailyMin", number>>;
}

function findColumns(header: string[]): Columns | null {
  const idx = (names: string[]) => header.findIndex((h) => names.includes(h));
  const plant = idx(PLANT_HEADERS);
  const unit = idx(UNIT_HEADERS);
  const date = idx(DATE_HEADERS);
  if (plant < 0 || unit < 0 || date < 0) return null;
  const hours = new Array<number>(24).fill(-1);
  header.forEach((h, i) => {
    const m = HOUR_HEADER.exec(h);
    if (!m) return;
    const label = Number(m[1]);
    if (label >= 1 && label <= 24 && hours[label - 1] < 0) hours[label - 1] = i;
  });
  if (hours.some((i) => i < 0)) return null;
  const summary: Columns["summary"] = {};
  for (const [key, re] of SUMMARY_HEADERS) {
    const i = header.findIndex((h) => re.test(h));
    if (i >= 0) summary[key] = i;
  }
  return { plant, unit, date, hours, summary };
}

/**
 * Parse a decoded CSV. Headers and values are trimmed (the site puts a space after every comma,
 * also before quoted values); the header is searched in the first lines. Throws BadPayload when
 * the expected header is missing or a record is unreadable. Records outside `window` are skipped.
 */
export function parseKoenCsv(
  text: string,
  opts: { request: string; window?: { start: string; end: string }; encoding?: "cp949" | "utf-8" },
): KoenCsv {
  // `, "1,234"`: a quote after the space is still a quote (Python's skipinitialspace).
  const unspaced = text.replace(/^\uFEFF/, "").replace(/(^|,)[ \t]+(?=")/gm, "$1");
  const parsed = Papa.parse<string[]>(unspaced, { header: false, skipEmptyLines: "greedy" });
  const quoteError = parsed.errors.find((e) => e.type === "Quotes");
  if (quoteError) throw new BadPayload(KOEN_SOURCE, opts.request, `malformed CSV at record ${(quoteError.row ?? 0) + 1}: ${quoteError.message}`);
  const records = parsed.data.map((r) => r.map((v) => (v ?? "").trim()));

  let headerAt = -1;
  let cols: Columns | null = null;
  for (let i = 0; i < Math.min(records.length, 5) && !cols; i++) {
    cols = findColumns(records[i].map(normalizeHeader));
    if (cols) headerAt = i;
  }
  if (!cols) {
    const first = records[0]?.join(", ").slice(0, 160) ?? "";
    throw new BadPayload(
      KOEN_SOURCE,
      opts.request,
      `no CSV header with 발전구분, 호기, 일자 and 1시..24시 발전량 columns (first line: ${JSON.stringify(first)})`,
    );
  }
  const header = records[headerAt].map(normalizeHeader);
  const width = Math.max(cols.plant, cols.unit, cols.date, ...cols.hours, ...Object.values(cols.summary)) + 1;

  const rows: KoenCsvRow[] = [];
  const skipped: KoenCsv["skipped"] = [];
  const bad = (line: number, what: string): never => {
    throw new BadPayload(KOEN_SOURCE, opts.request, `line ${line}: ${what}`);
  };
  for (let i = headerAt + 1; i < records.length; i++) {
    const rec = records[i];
    const line = i + 1;
    const plantName = rec[cols.plant] ?? "";
    const dateText = rec[cols.date] ?? "";
    if (rec.every((v) => v === "")) continue;
    if (TOTAL_ROW_NAMES.has(plantName.toLowerCase()) || (plantName === "" && dateText === "")) {
      skipped.push({ line, reason: `totals or blank record ${JSON.stringify(rec.slice(0, 3).join(", "))}` });
      continue;
    }
    if (rec.length < width) bad(line, `${rec.length} fields, expected at least ${width} (truncated download?)`);
    if (plantName === "") bad(line, "발전구분 is empty");
    const date = normalizeYmd(dateText);
    if (date === null) bad(line, `일자 ${JSON.stringify(dateText)} is not a date`);
    const hogiText = rec[cols.unit] ?? "";
    const hogiMatch = /^(\d+)\s*(호기)?$/.exec(hogiText);
    if (hogiText !== "" && !hogiMatch) bad(line, `호기 ${JSON.stringify(hogiText)} is not a unit number`);
    const hogi = hogiMatch ? Number(hogiMatch[1]) : 1;
    if (opts.window && (date! < opts.window.start || date! > opts.window.end)) {
      skipped.push({ line, reason: `${date} is outside ${opts.window.start}..${opts.window.end}` });
      continue;
    }
    const cell = (c: number | undefined) => (c === undefined ? null : parseNumber(rec[c]));
    rows.push({
      line,
      plantName,
      hogi,
      date: date!,
      hours: cols.hours.map((c) => parseNumber(rec[c])),
      dailyTotal: cell(cols.summary.dailyTotal),
      dailyAvg: cell(cols.summary.dailyAvg),
      dailyMax: cell(cols.summary.dailyMax),
      dailyMin: cell(cols.summary.dailyMin),
    });
  }
  return { encoding: opts.encoding ?? "cp949", header, rows: dedupeRows(rows), skipped };
}

/** One record per (plant, unit, day): a later duplicate wins (DOMAIN §9.21). */
function dedupeRows(rows: KoenCsvRow[]): KoenCsvRow[] {
  const byKey = new Map<string, KoenCsvRow>();
  for (const r of rows) {
    const k = `${r.plantName}\u0000${r.hogi}\u0000${r.date}`;
    byKey.delete(k);
    byKey.set(k, r);
  }
  return [...byKey.values()];
}

// ---------------------------------------------------------------------------------------------
// Plant names

/**
 * What a new KOEN PV plant name may look like: Hangul, ASCII letters and digits, space and a few
 * marks (`#`, `()`, `-`, `_`, `.`, `&`, `·`), containing 태양광. Anything else — U+FFFD, Latin-1
 * or Hanja debris of a wrong decoding, control characters — is mojibake, not a new plant.
 */
export const NEW_KOEN_PLANT_NAME = /^[가-힣A-Za-z0-9](?:[가-힣A-Za-z0-9 #()\-_.&·]{0,58}[가-힣A-Za-z0-9)#])?$/u;

export function plantNameProblem(name: string, known: ReadonlySet<string>): string | null {
  if (name.includes("\uFFFD")) return "contains U+FFFD (bytes that are not CP949: a wrongly encoded download)";
  if (known.has(name)) return null;
  if (!NEW_KOEN_PLANT_NAME.test(name) || !name.includes("태양광")) {
    return "is neither a known KOEN plant nor shaped like a PV plant name (Hangul/ASCII with 태양광): likely mojibake";
  }
  return null;
}

/** Fail the month rather than create a garbage plant (DOMAIN §9.13). */
export function validatePlantNames(csv: KoenCsv, known: ReadonlySet<string>, request: string): void {
  for (const r of csv.rows) {
    const problem = plantNameProblem(r.plantName, known);
    if (problem) throw new BadPayload(KOEN_SOURCE, request, `line ${r.line}: plant name ${JSON.stringify(r.plantName)} ${problem}`);
  }
  for (const h of csv.header) {
    if (h.includes("\uFFFD")) throw new BadPayload(KOEN_SOURCE, request, `the header ${JSON.stringify(h)} contains U+FFFD: the body is not CP949`);
  }
}

/** Sniff, decode, parse and validate one downloaded body: the whole verdict on a month's download. */
export function readKoenCsv(
  body: Uint8Array,
  meta: { contentType: string | null; status: number; request: string; window: { start: string; end: string }; known: ReadonlySet<string>; minBytes?: number },
): KoenCsv {
  sniffKoenBody(body, meta);
  const { text, encoding } = decodeKoenBody(body);
  const csv = parseKoenCsv(text, { request: meta.request, window: meta.window, encoding });
  validatePlantNames(csv, meta.known, meta.request);
  return csv;
}
