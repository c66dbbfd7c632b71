// Local simulator of KMA ASOS AsosHourlyInfoService/getWthrDataList speaking the wire format of
// DOMAIN §14: JSON with every value a string ("" when not observed), paging by pageNo/numOfRows/
// totalCount (page size capped like the real service), resultCode 03 NO_DATA, data.go.kr gateway
// errors as XML whatever dataType was asked, HTML pages, truncated bodies, 429/5xx faults and latency.
//
// Values are a pure function of (station, hour) and physically plausible: solar radiation (icsr),
// sunshine (ss) and cloud amount follow the same sky as the PV simulators, hour by hour
// (src/simulators/weather_field.ts), so simulated generation follows simulated radiation; temperature,
// dew point, humidity and vapour pressure are mutually consistent (Magnus formula).
import { serveDataGoKr, type DataGoKrSim, type SimAnswer } from "./datagokr_server.ts";
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { getPosition } from "suncalc";
import { addDays, eachDay, kstMidnight, normalizeYmd, todayKst } from "../../f/lib/time/kst.ts";
import { coin } from "./coin.ts";
import { gatewayXml, htmlPage } from "./datagokr_gateway.ts";
import { cloudinessFactor, skyFactor } from "./weather_field.ts";

export const DEFAULT_ASOS_SIM_KEY = "asos-sim-key/with+special=chars==";
export const ASOS_SIM_PATH = "/1360000/AsosHourlyInfoService";

export interface AsosSimStation {
  stnId: number;
  name: string;
  lat: number;
  lon: number;
  hasSolarSensor: boolean;
  firstDate?: string; // no data before (default 2000-01-01)
}

export interface AsosSimQuery {
  stnId: number;
  start: string; // ISO date
  end: string;
  pageNo: number;
  numOfRows: number;
}

export interface AsosSimOptions {
  serviceKey?: string; // the DECODED key it accepts
  latencyMs?: number;
  faultRate?: number; // 0..1 share of requests answered HTTP 429/500/502/503 or a dropped connection
  seed?: number;
  quotaAfter?: number; // after N accepted requests, answer gateway reason 22
  maxInFlight?: number; // more concurrent requests than this → HTTP 429
  maxRows?: number; // the service caps numOfRows at this (default 999)
  htmlFor?: (q: AsosSimQuery) => boolean;
  truncateFor?: (q: AsosSimQuery) => boolean;
  /** Answer fewer items than the page should hold while keeping totalCount (a lying/short page). */
  shortPageFor?: (q: AsosSimQuery) => boolean;
  /** Serve "" for this cell (e.g. a re-fetch that lacks icsr). */
  blank?: (stnId: number, tm: string, field: string) => boolean;
  stations?: AsosSimStation[]; // default: data/asos_stations.csv
  today?: string; // data exists only up to today-1 (KST); default: today KST
}

/** The running simulator: its base URL, request counts and log (datagokr_server.ts). */
export type AsosSim = DataGoKrSim;

// ---------------------------------------------------------------------------------------------
// Stations and values

interface StationRow {
  stn_id: string;
  name: string;
  lat: string;
  lon: string;
  has_solar_sensor: string;
}

/** The 95 stations of data/asos_stations.csv. */
export const DEFAULT_ASOS_SIM_STATIONS: readonly AsosSimStation[] = Papa.parse<StationRow>(
  readFileSync(new URL("../../data/asos_stations.csv", import.meta.url), "utf8").replace(/^\uFEFF/, ""),
  { header: true, skipEmptyLines: true },
).data.map((r) => ({
  stnId: Number(r.stn_id),
  name: r.name.trim(),
  lat: Number(r.lat),
  lon: Number(r.lon),
  hasSolarSensor: r.has_solar_sensor.trim() === "true",
}));


const HOUR = 3_600_000;
const SOLAR_CONSTANT = 1361; // W/m²
const fmt = (x: number, digits: number) => {
  const s = x.toFixed(digits);
  return s === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : s;
};
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
/** Saturation vapour pressure (hPa) over water, Magnus formula. */
const satVp = (t: number) => 6.112 * Math.exp((17.62 * t) / (243.12 + t));
const dewPoint = (e: number) => {
  const g = Math.log(e / 6.112);
  return (243.12 * g) / (17.62 - g);
};

/** KST wall-clock `YYYY-MM-DD HH:MM` of an instant. */
function kstLabel(t: number): string {
  const d = new Date(t + 9 * HOUR);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`;
}

/** Global horizontal irradiance, MJ/m², accumulated over [t − 1 h, t): the PV simulators' sun and sky model. */
function hourlyRadiation(st: AsosSimStation, t: number): { mj: number; sunSteps: number; brightSteps: number } {
  const steps = 6;
  let joules = 0;
  let sunSteps = 0;
  let brightSteps = 0;
  for (let k = 0; k < steps; k++) {
    const ti = t - HOUR + ((k + 0.5) * HOUR) / steps;
    const cloud = skyFactor(ti, st.lat, st.lon);
    const altDeg = getPosition(new Date(ti), st.lat, st.lon).altitude; // suncalc 2: degrees
    if (altDeg > 0) {
      sunSteps++;
      joules += (SOLAR_CONSTANT * 0.75 * cloud * Math.sin((altDeg * Math.PI) / 180) ** 1.15 * (HOUR / 1000)) / steps; // W/m² × s
      if (altDeg > 3) brightSteps += clamp((cloud - 0.35) / 0.55, 0, 1);
    }
  }
  return { mj: joules / 1e6, sunSteps, brightSteps: brightSteps / steps };
}

/** The physical state of one station-hour, before formatting and before the service blanks anything. */
function stationHour(st: AsosSimStation, t: number) {
  const tm = kstLabel(t);
  const iso = tm.slice(0, 10);
  const hour = Number(tm.slice(11, 13));
  const day = Date.parse(`${iso}T00:00:00Z`);
  const doy = (day - Date.UTC(new Date(day).getUTCFullYear(), 0, 1)) / 86_400_000;
  const cloud = cloudinessFactor(iso, st.lat, st.lon); // the day's level: 1 = clear, 0.15 = overcast
  const overcast = (1 - cloud) / 0.85; // 0 clear … 1 overcast
  const n = (what: string) => coin(`${what}|${st.stnId}|${tm}`);

  // Temperature: seasonal mean by latitude (min end of January, max end of July), a diurnal cycle
  // peaking at 15:00 that is larger on clear days.
  const seasonal = 12.5 - 0.9 * (st.lat - 36) - 14 * Math.cos((2 * Math.PI * (doy - 30)) / 365);
  const amplitude = 2 + 5 * cloud;
  const ta = seasonal + amplitude * Math.cos((2 * Math.PI * (hour - 15)) / 24) + (n("ta") - 0.5);
  // Dew point from the daily mean: close to it on overcast days, drier on clear ones.
  const td = Math.min(ta, seasonal - (2 + 7 * cloud) + 0.6 * (coin(`td|${st.stnId}|${iso}`) - 0.5));
  const pv = satVp(td);
  const hm = clamp((100 * pv) / satVp(ta), 5, 100);

  const rad = hourlyRadiation(st, t);
  const raining = overcast > 0.7 && n("rain") < (overcast - 0.7) * 2.5;
  const ps = 1013 + 9 * Math.cos((2 * Math.PI * (doy - 15)) / 365) - 8 * overcast + 2 * (n("ps") - 0.5);
  const elevation = Math.round(300 * coin(`elev|${st.stnId}`));
  const overcastNow = clamp((1 - skyFactor(t, st.lat, st.lon)) / 0.85, 0, 1); // cloud observed at tm
  const altNow = getPosition(new Date(t), st.lat, st.lon).altitude;
  return {
    tm,
    n,
    seasonal,
    cloud,
    overcast,
    raining,
    ta,
    td: dewPoint(pv),
    pv,
    hm,
    rn: raining ? 0.5 + 8 * n("rnamt") * (overcast - 0.6) : 0,
    ps,
    pa: ps * Math.exp(-elevation / 8400),
    ws: 0.8 + 3 * n("ws") + 1.5 * Math.max(0, Math.sin((Math.PI * (hour - 9)) / 12)) + 2 * overcast,
    wd: 10 * (1 + Math.floor(n("wd") * 36)),
    tca: Math.round(10 * clamp(overcastNow + 0.15 * (n("tca") - 0.5), 0, 1)),
    ts: ta + (altNow > 0 ? 10 * cloud * Math.sin((altNow * Math.PI) / 180) : -1),
    vs: raining ? 300 + Math.round(700 * n("vs")) : Math.round(800 + 1200 * cloud + 200 * n("vs")),
    rad,
    /** The sun is below the horizon for the whole hour ending at tm. */
    night: rad.sunSteps === 0,
  };
}

/** True values of a station-hour, in the service's units, whether or not the service sends them. */
export interface AsosSimTruth {
  ta: number;
  hm: number;
  td: number;
  pa: number;
  ps: number;
  ws: number;
  /** Precipitation over the hour ending at tm, mm (0 when dry: the service then sends ""). */
  rn: number;
  /** Sunshine over the hour ending at tm, hours (0 when the sun is down the whole hour). */
  ss: number;
  /** Global radiation over the hour ending at tm, MJ/m² (0 when the sun is down the whole hour), with or without a pyranometer. */
  icsr: number;
}

/**
 * The truth behind the simulator for a station and an observation time `t` (epoch ms of tm): what
 * a filled value of that hour should be, and what a blank stands for.
 */
export function asosSimTruth(stnId: number, t: number, stations: readonly AsosSimStation[] = DEFAULT_ASOS_SIM_STATIONS): AsosSimTruth {
  const h = stationHour(stationOf(stnId, stations), t);
  return { ta: h.ta, hm: h.hm, td: h.td, pa: h.pa, ps: h.ps, ws: h.ws, rn: h.rn, ss: h.night ? 0 : h.rad.brightSteps, icsr: h.rad.mj };
}

/** One hour's item exactly as the service sends it (field order of DOMAIN §14), without rnum. */
export function asosSimItem(st: AsosSimStation, t: number, blank?: AsosSimOptions["blank"]): Record<string, string> {
  const { tm, seasonal, cloud, overcast, raining, ta, td: tdOut, pv, hm, rn, ps, pa, ws, wd, tca, ts, vs, rad, night } = stationHour(st, t);

  // Sensors occasionally miss a value (0.3% of cells): "" like the real service.
  const out = (field: string, value: string): string => {
    if (value === "") return "";
    if (blank?.(st.stnId, tm, field)) return "";
    if (["ta", "hm", "ws", "wd", "pa", "ps", "td", "icsr"].includes(field) && coin(`miss|${field}|${st.stnId}|${tm}`) < 0.003) return "";
    return value;
  };
  const icsr = st.hasSolarSensor && rad.mj >= 0.005 ? fmt(rad.mj, 2) : "";
  const item: Record<string, string> = {
    tm,
    stnId: String(st.stnId),
    stnNm: st.name,
    ta: out("ta", fmt(ta, 1)),
    taQcflg: "",
    rn: out("rn", raining ? fmt(rn, 1) : ""),
    rnQcflg: "",
    ws: out("ws", fmt(ws, 1)),
    wsQcflg: "",
    wd: out("wd", String(wd)),
    wdQcflg: "",
    hm: out("hm", fmt(hm, 0)),
    hmQcflg: "",
    pv: out("pv", fmt(pv, 1)),
    td: out("td", fmt(tdOut, 1)),
    pa: out("pa", fmt(pa, 1)),
    paQcflg: "",
    ps: out("ps", fmt(ps, 1)),
    psQcflg: "",
    ss: out("ss", night ? "" : fmt(rad.brightSteps, 1)),
    ssQcflg: "",
    icsr: out("icsr", icsr),
    dsnw: "",
    hr3Fhsc: "",
    dc10Tca: out("dc10Tca", String(tca)),
    dc10LmcsCa: out("dc10LmcsCa", String(Math.round(tca * 0.7))),
    clfmAbbrCd: tca === 0 ? "" : overcast > 0.6 ? "StNs" : "Sc",
    lcsCh: out("lcsCh", tca === 0 ? "" : String(5 + Math.round(25 * cloud))),
    vs: out("vs", String(vs)),
    gndSttCd: "",
    dmstMtphNo: raining ? "60" : "",
    ts: out("ts", fmt(ts, 1)),
    tsQcflg: "",
    m005Te: fmt(seasonal + 1.5, 1),
    m01Te: fmt(seasonal + 1.2, 1),
    m02Te: fmt(seasonal + 0.9, 1),
    m03Te: fmt(seasonal + 0.6, 1),
  };
  return item;
}

function stationOf(stnId: number, stations: readonly AsosSimStation[]): AsosSimStation {
  const st = stations.find((s) => s.stnId === stnId);
  if (!st) throw new RangeError(`asosSim: ${stnId} is not a simulated station`);
  return st;
}

/** The 24 items (tm 00:00 … 23:00 KST) the simulator serves for a station and day. */
export function asosSimDay(stnId: number, isoDate: string, stations: readonly AsosSimStation[] = DEFAULT_ASOS_SIM_STATIONS): Record<string, string>[] {
  const st = stationOf(stnId, stations);
  const midnight = kstMidnight(isoDate).getTime();
  return Array.from({ length: 24 }, (_, h) => asosSimItem(st, midnight + h * HOUR));
}

// ---------------------------------------------------------------------------------------------
// Wire format

const json = (o: unknown) => JSON.stringify(o);

const successJson = (items: Record<string, string>[], pageNo: number, numOfRows: number, totalCount: number) =>
  json({
    response: {
      header: { resultCode: "00", resultMsg: "NORMAL_SERVICE" },
      body: { dataType: "JSON", items: { item: items }, pageNo, numOfRows, totalCount },
    },
  });

const emptyJson = (pageNo: number, numOfRows: number) =>
  json({ response: { header: { resultCode: "00", resultMsg: "NORMAL_SERVICE" }, body: { dataType: "JSON", items: "", pageNo, numOfRows, totalCount: 0 } } });

const resultJson = (code: string, msg: string) => json({ response: { header: { resultCode: code, resultMsg: msg } } });

// ---------------------------------------------------------------------------------------------
// Server

export async function startAsosSim(opts: AsosSimOptions = {}): Promise<AsosSim> {
  const acceptedKey = opts.serviceKey ?? DEFAULT_ASOS_SIM_KEY;
  const stations = opts.stations ?? DEFAULT_ASOS_SIM_STATIONS;
  const lastDataDay = addDays(opts.today ?? todayKst(), -1);
  const maxRows = opts.maxRows ?? 999;
  const faultRate = opts.faultRate ?? 0;
  const seed = opts.seed ?? 1;
  const attemptsByQuery = new Map<string, number>();
  let accepted = 0;
  let inFlight = 0;

  type Answer = SimAnswer;
  const asJson = (body: string, tag: string): Answer => ({ status: 200, contentType: "application/json;charset=UTF-8", body, tag });
  const asXml = (body: string, tag: string): Answer => ({ status: 200, contentType: "text/xml;charset=UTF-8", body, tag });

  function answer(query: URLSearchParams): Answer {
    const canonical = [...query.entries()].filter(([k]) => k !== "serviceKey").sort().map(([k, v]) => `${k}=${v}`).join("&");
    const attempt = (attemptsByQuery.get(canonical) ?? 0) + 1;
    attemptsByQuery.set(canonical, attempt);
    if (opts.maxInFlight !== undefined && inFlight > opts.maxInFlight) {
      return { status: 429, contentType: "text/plain", body: "Too Many Requests", tag: "429" };
    }
    if (faultRate > 0 && coin(`fault|${seed}|${canonical}|${attempt}`) < faultRate) {
      const kind = Math.floor(coin(`kind|${seed}|${canonical}|${attempt}`) * 5);
      if (kind === 0) return { status: 500, contentType: "text/plain", body: "Internal Server Error", tag: "fault-500" };
      if (kind === 1) return { status: 502, contentType: "text/html", body: htmlPage("502 Bad Gateway"), tag: "fault-502" };
      if (kind === 2) return { status: 503, contentType: "text/html", body: htmlPage("503 Service Unavailable"), tag: "fault-503" };
      if (kind === 3) return { status: 429, contentType: "text/plain", body: "Too Many Requests", tag: "fault-429" };
      return { drop: true, tag: "fault-drop" };
    }
    // Gateway verdicts come as XML even though dataType=JSON was asked (DOMAIN §14).
    if (query.get("serviceKey") !== acceptedKey) return asXml(gatewayXml(30, "SERVICE_KEY_IS_NOT_REGISTERED_ERROR"), "gateway-30");
    accepted++;
    if (opts.quotaAfter !== undefined && accepted > opts.quotaAfter) {
      return asXml(gatewayXml(22, "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"), "gateway-22");
    }

    const invalid = () => asJson(resultJson("10", "INVALID_REQUEST_PARAMETER_ERROR"), "invalid");
    if (query.get("dataType") !== "JSON" || query.get("dataCd") !== "ASOS" || query.get("dateCd") !== "HR") return invalid();
    const start = normalizeYmd(query.get("startDt") ?? "");
    const end = normalizeYmd(query.get("endDt") ?? "");
    const startHh = query.get("startHh") ?? "";
    const endHh = query.get("endHh") ?? "";
    const stnText = query.get("stnIds") ?? "";
    const pageNo = Number(query.get("pageNo") ?? "1");
    const numOfRows = Number(query.get("numOfRows") ?? "10");
    if (start === null || end === null || !/^\d{2}$/.test(startHh) || !/^\d{2}$/.test(endHh) || Number(startHh) > 23 || Number(endHh) > 23) return invalid();
    if (!/^\d+$/.test(stnText) || !Number.isInteger(pageNo) || pageNo < 1 || !Number.isInteger(numOfRows) || numOfRows < 1) return invalid();
    if (start > end) return invalid();
    const q: AsosSimQuery = { stnId: Number(stnText), start, end, pageNo, numOfRows };
    if (opts.htmlFor?.(q)) return { status: 200, contentType: "text/html;charset=UTF-8", body: htmlPage("서비스 점검 중"), tag: "html" };

    const st = stations.find((s) => s.stnId === q.stnId);
    if (!st) return asJson(resultJson("03", "NO_DATA"), "nodata");
    const from = start > (st.firstDate ?? "2000-01-01") ? start : (st.firstDate ?? "2000-01-01");
    const to = end < lastDataDay ? end : lastDataDay; // today and later: not published yet
    const hours: number[] = [];
    if (from <= to) {
      for (const d of eachDay(from, to)) {
        const midnight = kstMidnight(d).getTime();
        for (let h = 0; h < 24; h++) {
          if (d === start && h < Number(startHh)) continue;
          if (d === end && h > Number(endHh)) continue;
          hours.push(midnight + h * HOUR);
        }
      }
    }
    if (hours.length === 0) {
      return coin(`empty|${q.stnId}|${start}|${end}`) < 0.8 ? asJson(resultJson("03", "NO_DATA"), "nodata") : asJson(emptyJson(pageNo, Math.min(numOfRows, maxRows)), "empty");
    }
    const size = Math.min(numOfRows, maxRows); // the service caps the page size and says so in numOfRows
    const offset = (pageNo - 1) * size;
    let items = hours.slice(offset, offset + size).map((t, i) => {
      const { tm, ...rest } = asosSimItem(st, t, opts.blank);
      return { tm, rnum: String(offset + i + 1), ...rest }; // rnum second, as in §14
    });
    if (opts.shortPageFor?.(q) && items.length > 0) items = items.slice(0, items.length - 1);
    const page = items;
    const body = page.length === 0 ? emptyJson(pageNo, size).replace('"totalCount":0', `"totalCount":${hours.length}`) : successJson(items, pageNo, size, hours.length);
    if (opts.truncateFor?.(q)) return asJson(body.slice(0, Math.floor(body.length * 0.6)), "truncated");
    return asJson(body, page.length === 0 ? "empty" : "data");
  }

  return serveDataGoKr({ path: ASOS_SIM_PATH, operation: "getWthrDataList", latencyMs: opts.latencyMs }, (query, _rawQuery, now) => {
    inFlight = now;
    return answer(query);
  });
}
