// Local simulator of KOSPO PwrSunLightInfo/getDataService speaking the data.go.kr wire format of
// DOMAIN §14, with the quirks a client must survive: both item shapes, days left out of range answers,
// days only returned with strEdate = day+1, empty plant names, gateway key/quota errors, HTML pages,
// truncated XML and transient faults. Everything it serves is a pure function of its options.
// Generation follows the shared sky of weather_field.ts as each unit's own arrays see it
// (unit_sky.ts): a per-unit sky perturbation of ≈ 1.4 % hour to hour under a clear sky and ≈ 5 %
// under broken clouds, and a fixed azimuth offset of up to ±5°, so units of one site are not
// identical (they were, hour by hour, until the reference fills were measured against them).
import { serveDataGoKr, type DataGoKrSim, type SimAnswer } from "./datagokr_server.ts";
import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import Papa from "papaparse";
import { getPosition } from "suncalc";
import { addDays, daysBetween, eachDay, kstMidnight, normalizeYmd, todayKst } from "../../f/lib/time/kst.ts";
import { RecentCache } from "../../f/lib/runtime/recent_cache.ts";
import { coin } from "./coin.ts";
import { meterGapLabels } from "./meter_gaps.ts";
import { gatewayXml, htmlPage } from "./datagokr_gateway.ts";
import { skyFactor } from "./weather_field.ts";
import { unitOrientationFactor, unitSkyFactor } from "./unit_sky.ts";

export const DEFAULT_SIM_KEY = "sim-key/with+special=chars==";
export const KOSPO_SIM_PATH = "/B552520/PwrSunLightInfo";
/** The injected broken plant: the whole day's energy in the label-16 cell (DOMAIN §5.4). */
export const BROKEN_UNIT = { gencd: "997S", hogi: 1, label: 16 } as const;

export interface KospoSimUnit {
  gencd: string;
  hogi: number;
  capacityKw: number;
  firstDate: string;
  lastDate?: string;
  lat: number;
  lon: number;
}

export interface KospoSimQuery {
  gencd: string;
  hogi: number;
  start: string;
  end: string;
}

export interface KospoSimOptions {
  serviceKey?: string; // the DECODED key it accepts
  latencyMs?: number; // per request
  faultRate?: number; // 0..1 share of requests answered with HTTP 500/502/503 or a dropped connection
  seed?: number;
  quotaAfter?: number; // after N accepted requests, answer gateway reason 22
  htmlFor?: (q: KospoSimQuery) => boolean; // answer an HTML page with HTTP 200
  truncateFor?: (q: KospoSimQuery) => boolean; // answer truncated XML
  meterGaps?: number; // 0..1 share of unit-days with a meter outage: 1–6 daytime hours or the whole day of empty cells (meter_gaps.ts; default 0)
  units?: KospoSimUnit[]; // default: every KOSPO unit of data/plants.csv with coordinates
  maxRangeDays?: number; // longer ranges answer reason 10; default 366
  today?: string; // data exists only up to today-1 (KST); default: today KST
  /** A fault to answer instead of (or, for the body faults, on top of) the normal answer; see KospoSimFault. */
  faultFor?: (r: KospoSimRequest) => KospoSimFault | undefined;
  /** Rewrite the items of a data answer (every value a string, in wire order) before they are serialised. */
  itemsFor?: (q: KospoSimQuery, items: Record<string, string>[]) => Record<string, string>[];
  /** The service caps numOfRows at this, as other data.go.kr services do (default: no cap). */
  maxRows?: number;
  retryAfterSeconds?: number; // Retry-After of the "http-429" fault (default 1)
}

/** One request as faultFor sees it: the query, its page, and how often this exact request was asked (1 = first). */
export interface KospoSimRequest extends KospoSimQuery {
  pageNo: number;
  numOfRows: number;
  attempt: number;
}

/**
 * Injectable faults. Transport: "timeout" (never answers), "reset" (drops the connection),
 * "http-500|502|503", "http-429" (with Retry-After). Gateway XML with HTTP 200: "gateway-22|30|31|32|99".
 * Body: "html" (an HTML page with HTTP 200), "truncated" (the XML cut at 60%), "wrong-encoding" (the
 * XML sent as EUC-KR while declared UTF-8), "repeat-previous-page" (page N answers page N-1's items).
 * Echoes, as some gateways and proxies do, put the caller's key into the answer so the client's
 * redaction is tested for real: "gateway-30-echo" (reason 30 quoting the query string as received,
 * percent-escapes in lower case), "gateway-22-echo" (reason 22 naming the decoded key),
 * "result-99-echo" (envelope resultCode 99 naming the decoded key), "html-echo" (an HTML error page
 * with HTTP 200 quoting the request URL).
 */
export type KospoSimFault =
  | "timeout"
  | "reset"
  | "http-500"
  | "http-502"
  | "http-503"
  | "http-429"
  | "gateway-22"
  | "gateway-30"
  | "gateway-31"
  | "gateway-32"
  | "gateway-99"
  | "html"
  | "truncated"
  | "wrong-encoding"
  | "repeat-previous-page"
  | "gateway-30-echo"
  | "gateway-22-echo"
  | "result-99-echo"
  | "html-echo";

const GATEWAY_AUTH_MSG: Record<string, string> = {
  "22": "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR",
  "30": "SERVICE_KEY_IS_NOT_REGISTERED_ERROR",
  "31": "DEADLINE_HAS_EXPIRED_ERROR",
  "32": "UNREGISTERED_IP_ERROR",
  "99": "UNKNOWN_ERROR",
};

/** The running simulator: its base URL, request counts and log (datagokr_server.ts). */
export type KospoSim = DataGoKrSim;

// ---------------------------------------------------------------------------------------------
// Plants and values

interface PlantRow {
  operator: string;
  source_code: string;
  unit: string;
  plant_name: string;
  lat: string;
  lon: string;
  capacity_kw: string;
}

const plantRows: PlantRow[] = Papa.parse<PlantRow>(
  readFileSync(new URL("../../data/plants.csv", import.meta.url), "utf8").replace(/^\uFEFF/, ""),
  { header: true, skipEmptyLines: true },
).data.filter((r) => r.operator === "kospo");

const plantNames = new Map(plantRows.map((r) => [unitKey(r.source_code, Number(r.unit)), r.plant_name]));

/** Every KOSPO unit of data/plants.csv with coordinates, as the simulator serves it by default. */
export const DEFAULT_KOSPO_SIM_UNITS: readonly KospoSimUnit[] = plantRows
  .filter((r) => r.lat !== "" && r.lon !== "")
  .map((r) => ({
    gencd: r.source_code,
    hogi: Number(r.unit),
    capacityKw: r.capacity_kw === "" ? 1000 : Number(r.capacity_kw),
    firstDate: "2015-10-23",
    lat: Number(r.lat),
    lon: Number(r.lon),
  }));

function unitKey(gencd: string, hogi: number): string {
  return `${gencd}/${hogi}`;
}


const round3 = (x: number) => Math.round(x * 1000) / 1000;
const valueCache = new RecentCache<number[]>(4096); // unit-days
const valueKey = (u: KospoSimUnit, iso: string) => `${u.gencd}/${u.hogi}/${u.capacityKw}/${u.lat}/${u.lon}/${iso}`;
/** Unit-days computed ahead by warmKospoSim, kept until the process ends. */
const warmed = new Map<string, number[]>();

/**
 * Hourly kWh (labels 1..24, hour-ending) of a unit: sun altitude × capacity × the sky at that moment,
 * as the unit's own arrays see it (unit_sky.ts: a small per-unit sky perturbation and a fixed
 * azimuth offset, so units of one site differ a little hour by hour, as real ones do).
 */
function unitHourly(u: KospoSimUnit, iso: string): number[] {
  const cacheKey = valueKey(u, iso);
  const cached = warmed.get(cacheKey) ?? valueCache.get(cacheKey);
  if (cached) return cached;
  const midnight = kstMidnight(iso).getTime();
  const id = `kospo|${u.gencd}|${u.hogi}`;
  const steps = 6; // 10-minute integration
  const hours = Array.from({ length: 24 }, (_, h) => {
    let kwh = 0;
    for (let k = 0; k < steps; k++) {
      const t = midnight + h * 3_600_000 + ((k + 0.5) * 3_600_000) / steps;
      const { altitude: altDeg, azimuth: azDeg } = getPosition(new Date(t), u.lat, u.lon); // suncalc 2 returns degrees (v1: radians)
      if (altDeg > 0) {
        const sky = unitSkyFactor(id, t, skyFactor(t, u.lat, u.lon)); // the site's sky as this unit's arrays see it
        kwh += (u.capacityKw * 0.72 * sky * unitOrientationFactor(id, altDeg, azDeg) * Math.sin((altDeg * Math.PI) / 180) ** 1.15) / steps;
      }
    }
    return round3(kwh);
  });
  const values =
    u.gencd === BROKEN_UNIT.gencd && u.hogi === BROKEN_UNIT.hogi
      ? hours.map((_, i) => (i + 1 === BROKEN_UNIT.label ? round3(hours.reduce((a, b) => a + b, 0)) : 0))
      : hours;
  valueCache.set(cacheKey, values);
  return values;
}

/**
 * Compute the values of these units' days in [start, end] now and keep them, so that answering
 * only serializes them — as a real service reads its answers from storage. For benchmarks whose
 * simulator shares the machine with the code measured (bench §7); returns the unit-days kept.
 */
export function warmKospoSim(units: readonly KospoSimUnit[], start: string, end: string): number {
  let n = 0;
  for (const u of units) {
    for (const d of unitDays(u, start, end)) {
      warmed.set(valueKey(u, d), unitHourly(u, d));
      n++;
    }
  }
  return n;
}

/** The days of [start, end] on which unit `u` has data (from its first day on). */
function unitDays(u: KospoSimUnit, start: string, end: string): string[] {
  const from = start > u.firstDate ? start : u.firstDate;
  return from <= end ? eachDay(from, end) : [];
}

/** The 24 hourly values (qhorgen01..24) the simulator serves for a unit and day. */
export function kospoSimValue(gencd: string, hogi: number, isoDate: string, units: readonly KospoSimUnit[] = DEFAULT_KOSPO_SIM_UNITS): number[] {
  const u = units.find((x) => x.gencd === gencd && x.hogi === hogi);
  if (!u) throw new RangeError(`kospoSimValue: ${gencd}/${hogi} is not a simulated unit with data`);
  return [...unitHourly(u, isoDate)];
}

/**
 * The truth behind the simulator: what unit `gencd-hogi` really generated in the hour starting at
 * `hour` (0–23, interval start KST) of a day, meter gap or not — what the filled value of a gap
 * should be. (For the broken unit 997S-1 it is what its meter reports.)
 */
export function kospoSimTruth(unit: string, isoDate: string, hour: number, units: readonly KospoSimUnit[] = DEFAULT_KOSPO_SIM_UNITS): number {
  const i = unit.lastIndexOf("-");
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`kospoSimTruth: hour ${hour} is not 0..23`);
  return kospoSimValue(unit.slice(0, i), Number(unit.slice(i + 1)), isoDate, units)[hour];
}

export type KospoSimQuirk = "none" | "rangeOmit" | "nextDayOnly";

/**
 * rangeOmit (~1%): a multi-day range answer leaves the day out, a single-day query returns it.
 * nextDayOnly (~0.3%): only the query strSdate=day, strEdate=day+1 returns it.
 */
export function kospoSimQuirk(gencd: string, hogi: number, isoDate: string): KospoSimQuirk {
  const c = coin(`quirk|${gencd}|${hogi}|${isoDate}`);
  return c < 0.003 ? "nextDayOnly" : c < 0.013 ? "rangeOmit" : "none";
}

/** Single-day answers put the fields directly under <items> (shape 2) on "flat" days. */
export function kospoSimSingleDayShape(isoDate: string): "item" | "flat" {
  return coin(`shape|${isoDate}`) < 0.5 ? "flat" : "item";
}

/** ~2% of days have no plant name: half an empty <ipptnm/>, half no tag at all. */
export function kospoSimName(gencd: string, hogi: number, isoDate: string): string | undefined {
  const c = coin(`name|${gencd}|${hogi}|${isoDate}`);
  if (c < 0.01) return undefined;
  if (c < 0.02) return "";
  return plantNames.get(unitKey(gencd, hogi)) ?? `한국남부발전(주)_${gencd} 태양광발전실적`;
}

const included = (gencd: string, hogi: number, day: string, start: string, end: string): boolean => {
  const quirk = kospoSimQuirk(gencd, hogi, day);
  if (quirk === "rangeOmit") return start === end;
  if (quirk === "nextDayOnly") return start === day && end === addDays(day, 1);
  return true;
};

// ---------------------------------------------------------------------------------------------
// Wire format

const xmlEscape = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const XML_DECL = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`;

/** The item of a unit-day as tag → text, in wire order (no ipptnm tag when the name is left out). */
function itemRecord(u: KospoSimUnit, iso: string, meterGaps = 0): Record<string, string> {
  const gaps = meterGapLabels(`${u.gencd}-${u.hogi}`, iso, meterGaps);
  const values = unitHourly(u, iso).map((v, i) => (gaps.includes(i + 1) ? null : v));
  const measured = values.filter((v): v is number => v !== null);
  const total = round3(measured.reduce((a, b) => a + b, 0));
  const name = kospoSimName(u.gencd, u.hogi, iso);
  const rec: Record<string, string> = { ymd: iso.replaceAll("-", ""), gencd: u.gencd, hogi: String(u.hogi) };
  if (name !== undefined) rec.ipptnm = name;
  values.forEach((v, i) => (rec[`qhorgen${String(i + 1).padStart(2, "0")}`] = v === null ? "" : String(v)));
  // A day without a single value has no daily figures either.
  const daily = (x: () => number) => (measured.length === 0 ? "" : String(x()));
  rec.qvodgen = daily(() => total);
  rec.qvodavg = daily(() => round3(total / 24));
  rec.qvodmax = daily(() => Math.max(...measured));
  rec.qvodmin = daily(() => Math.min(...measured));
  return rec;
}

const itemFields = (rec: Record<string, string>): string =>
  Object.entries(rec)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join("");

function successXml(itemsXml: string, numOfRows: number, pageNo: number, totalCount: number): string {
  return [
    XML_DECL,
    "<response>",
    "  <header><resultCode>00</resultCode><resultMsg>NORMAL SERVICE.</resultMsg></header>",
    "  <body>",
    itemsXml === "" ? "    <items/>" : `    <items>${itemsXml}</items>`,
    `    <numOfRows>${numOfRows}</numOfRows><pageNo>${pageNo}</pageNo><totalCount>${totalCount}</totalCount>`,
    "  </body>",
    "</response>",
  ].join("\n");
}

const noDataXml = () =>
  `${XML_DECL}\n<response>\n  <header><resultCode>03</resultCode><resultMsg>NODATA_ERROR</resultMsg></header>\n</response>`;

// ---------------------------------------------------------------------------------------------
// Server

export async function startKospoSim(opts: KospoSimOptions = {}): Promise<KospoSim> {
  const acceptedKey = opts.serviceKey ?? DEFAULT_SIM_KEY;
  const units = opts.units ?? DEFAULT_KOSPO_SIM_UNITS;
  const maxRangeDays = opts.maxRangeDays ?? 366;
  const lastDataDay = addDays(opts.today ?? todayKst(), -1);
  const faultRate = opts.faultRate ?? 0;
  const seed = opts.seed ?? 1;
  const attemptsByQuery = new Map<string, number>();
  let accepted = 0;

  type Answer = SimAnswer;
  const xml = (body: string, tag: string, status = 200): Answer => ({ status, contentType: "text/xml;charset=UTF-8", body, tag });

  function answer(query: URLSearchParams, rawQuery: string): Answer {
    // Transient infrastructure faults come before the gateway looks at anything; they depend on the
    // query and how often it was asked, so a retried request eventually gets through.
    const canonical = [...query.entries()].filter(([k]) => k !== "serviceKey").sort().map(([k, v]) => `${k}=${v}`).join("&");
    const attempt = (attemptsByQuery.get(canonical) ?? 0) + 1;
    attemptsByQuery.set(canonical, attempt);
    if (faultRate > 0 && coin(`fault|${seed}|${canonical}|${attempt}`) < faultRate) {
      const kind = Math.floor(coin(`kind|${seed}|${canonical}|${attempt}`) * 4);
      if (kind === 0) return { status: 500, contentType: "text/plain", body: "Internal Server Error", tag: "fault-500" };
      if (kind === 1) return { status: 502, contentType: "text/html", body: htmlPage("502 Bad Gateway"), tag: "fault-502" };
      if (kind === 2) return { status: 503, contentType: "text/html", body: htmlPage("503 Service Unavailable"), tag: "fault-503" };
      return { drop: true, tag: "fault-drop" };
    }

    const fault = injectedFault(query, attempt);
    switch (fault) {
      case "timeout":
        return { hang: true, tag: "fault-timeout" };
      case "reset":
        return { drop: true, tag: "fault-reset" };
      case "http-500":
        return { status: 500, contentType: "text/plain", body: "Internal Server Error", tag: "fault-500" };
      case "http-502":
        return { status: 502, contentType: "text/html", body: htmlPage("502 Bad Gateway"), tag: "fault-502" };
      case "http-503":
        return { status: 503, contentType: "text/html", body: htmlPage("503 Service Unavailable"), tag: "fault-503" };
      case "http-429":
        return { status: 429, contentType: "text/plain", body: "Too Many Requests", tag: "fault-429", headers: { "retry-after": String(opts.retryAfterSeconds ?? 1) } };
      case "gateway-22":
      case "gateway-30":
      case "gateway-31":
      case "gateway-32":
      case "gateway-99": {
        const reason = fault.slice("gateway-".length);
        return xml(gatewayXml(Number(reason), GATEWAY_AUTH_MSG[reason]), fault);
      }
      case "html":
        return { status: 200, contentType: "text/html;charset=UTF-8", body: htmlPage("서비스 점검 중"), tag: "html" };
      case "gateway-30-echo": {
        const asReceived = rawQuery.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
        return xml(gatewayXml(30, `SERVICE_KEY_IS_NOT_REGISTERED_ERROR (getDataService?${asReceived})`), fault);
      }
      case "gateway-22-echo":
        return xml(gatewayXml(22, `LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR for key ${query.get("serviceKey") ?? ""}`), fault);
      case "result-99-echo":
        return xml(`${XML_DECL}\n<response>\n  <header><resultCode>99</resultCode><resultMsg>UNKNOWN_ERROR key=${query.get("serviceKey") ?? ""}</resultMsg></header>\n</response>`, fault);
      case "html-echo":
        return { status: 200, contentType: "text/html;charset=UTF-8", body: htmlPage(`요청 처리 실패: /getDataService?${rawQuery}`), tag: fault };
    }

    if (query.get("serviceKey") !== acceptedKey) return xml(gatewayXml(30, "SERVICE_KEY_IS_NOT_REGISTERED_ERROR"), "gateway-30");
    accepted++;
    if (opts.quotaAfter !== undefined && accepted > opts.quotaAfter) {
      return xml(gatewayXml(22, "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"), "gateway-22");
    }

    const invalid = () => xml(gatewayXml(10, "INVALID_REQUEST_PARAMETER_ERROR"), "gateway-10");
    const start = normalizeYmd(query.get("strSdate") ?? "");
    const end = normalizeYmd(query.get("strEdate") ?? "");
    const gencd = query.get("strOrgCd") ?? "";
    const hogiText = query.get("strHoki") ?? "";
    const pageNo = Number(query.get("pageNo") ?? "1");
    const askedRows = Number(query.get("numOfRows") ?? "10");
    const numOfRows = opts.maxRows !== undefined ? Math.min(askedRows, opts.maxRows) : askedRows;
    if (start === null || end === null || gencd === "" || !/^\d+$/.test(hogiText)) return invalid();
    if (!Number.isInteger(pageNo) || pageNo < 1 || !Number.isInteger(numOfRows) || numOfRows < 1) return invalid();
    if (start > end || daysBetween(start, end) + 1 > maxRangeDays) return invalid();
    const q: KospoSimQuery = { gencd, hogi: Number(hogiText), start, end };

    if (opts.htmlFor?.(q)) return { status: 200, contentType: "text/html;charset=UTF-8", body: htmlPage("서비스 점검 중"), tag: "html" };

    const unit = units.find((u) => u.gencd === q.gencd && u.hogi === q.hogi);
    if (!unit) return xml(noDataXml(), "nodata");
    const from = start > unit.firstDate ? start : unit.firstDate;
    const lastDay = unit.lastDate && unit.lastDate < lastDataDay ? unit.lastDate : lastDataDay;
    const to = end < lastDay ? end : lastDay;
    const days = from <= to ? eachDay(from, to).filter((d) => included(q.gencd, q.hogi, d, start, end)) : [];
    if (days.length === 0) {
      // Both "no data" forms of §14 occur.
      return coin(`empty|${start}|${end}`) < 0.5 ? xml(noDataXml(), "nodata") : xml(successXml("", numOfRows, pageNo, 0), "empty");
    }
    const servedPage = fault === "repeat-previous-page" && pageNo > 1 ? pageNo - 1 : pageNo;
    const page = days.slice((servedPage - 1) * numOfRows, servedPage * numOfRows);
    const records = page.map((d) => itemRecord(unit, d, opts.meterGaps));
    const items = opts.itemsFor ? opts.itemsFor(q, records) : records;
    const flat = start === end && items.length === 1 && page.length === 1 && kospoSimSingleDayShape(page[0]) === "flat";
    const itemsXml = flat ? itemFields(items[0]) : items.map((rec) => `<item>${itemFields(rec)}</item>`).join("");
    const body = successXml(itemsXml, numOfRows, pageNo, days.length);
    if (fault === "truncated" || opts.truncateFor?.(q)) return xml(body.slice(0, Math.floor(body.length * 0.6)), "truncated");
    if (fault === "wrong-encoding") return { status: 200, contentType: "text/xml;charset=UTF-8", body: iconv.encode(body, "euc-kr"), tag: "wrong-encoding" };
    return xml(body, page.length === 0 ? "empty" : fault === "repeat-previous-page" ? "repeated-page" : flat ? "data-flat" : "data");
  }

  /** The fault faultFor picks for this request; undefined when none or the query is not readable. */
  function injectedFault(query: URLSearchParams, attempt: number): KospoSimFault | undefined {
    if (!opts.faultFor) return undefined;
    const start = normalizeYmd(query.get("strSdate") ?? "");
    const end = normalizeYmd(query.get("strEdate") ?? "");
    if (start === null || end === null) return undefined;
    return opts.faultFor({
      gencd: query.get("strOrgCd") ?? "",
      hogi: Number(query.get("strHoki") ?? "0"),
      start,
      end,
      pageNo: Number(query.get("pageNo") ?? "1"),
      numOfRows: Number(query.get("numOfRows") ?? "10"),
      attempt,
    });
  }

  /** While a request is under way: the asked unit-days' values (a pure function, cached), capped at a month of days. */
  function prepare(query: URLSearchParams): void {
    const start = normalizeYmd(query.get("strSdate") ?? "");
    const end = normalizeYmd(query.get("strEdate") ?? "");
    const unit = units.find((u) => u.gencd === query.get("strOrgCd") && String(u.hogi) === query.get("strHoki"));
    if (!unit || start === null || end === null || start > end || daysBetween(start, end) > 31) return;
    for (const d of unitDays(unit, start, end < lastDataDay ? end : lastDataDay)) unitHourly(unit, d);
  }

  return serveDataGoKr({ path: KOSPO_SIM_PATH, operation: "getDataService", latencyMs: opts.latencyMs, prepare }, answer);
}
