// Local simulator of koenergy.kr's PV download (DOMAIN §2.1, §2.3, §2.5, §14): a session page that
// sets JSESSIONID, and csvDown.do that checks the cookie, the Referer and the form, then answers a
// CP949 CSV with a space after every comma. It reproduces the failures a client must survive: HTML
// error pages and tiny error bodies with HTTP 200, transient faults, latency, and (HTTPS mode) a
// server that sends only its leaf certificate. Everything it serves is a pure function of its options.
// Generation follows the shared sky of weather_field.ts as each unit's own arrays see it
// (unit_sky.ts: ≈ 1.4 % hour-to-hour noise under a clear sky, ≈ 5 % under broken clouds, a fixed
// azimuth offset of up to ±5°), so units of one site differ a little, as real ones do.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import iconv from "iconv-lite";
import Papa from "papaparse";
import { getPosition } from "suncalc";
import { addDays, eachDay, kstMidnight, normalizeYmd, todayKst } from "../../f/lib/time/kst.ts";
import { RecentCache } from "../../f/lib/runtime/recent_cache.ts";
import { coin } from "./coin.ts";
import { meterGapLabels } from "./meter_gaps.ts";
import { listenSim } from "./listen.ts";
import { skyFactor } from "./weather_field.ts";
import { unitOrientationFactor, unitSkyFactor } from "./unit_sky.ts";

export const KOEN_SIM_PAGE = "/kosep/gv/nf/dt/nfdt21";
export const KOEN_SIM_MENU = "FN0912020217";

export interface KoenSimUnit {
  plantName: string; // 발전구분 as the site spells it
  hogi: number;
  lat: number;
  lon: number;
  capacityKw: number;
  firstDate?: string;
  lastDate?: string;
}

export interface KoenSimQuery {
  start: string; // strDateS as ISO
  end: string;
  orgNo: string;
  hokiS: string;
  hokiE: string;
}

/** A record the simulator adds to a download; `nameBytes` are sent as is (to inject mojibake). */
export interface KoenSimExtraRow {
  plantName?: string;
  nameBytes?: Buffer;
  hogi: string;
  date: string;
  values?: (number | string)[]; // 24 cells; default: a small bell curve
}

export type KoenSimHeader = "standard" | "mwh" | "compact" | "quoted" | "alias";

export interface KoenSimOptions {
  today?: string; // data exists up to today-1 (KST); default: today KST
  units?: readonly KoenSimUnit[]; // default: the 23 KOEN units of data/plants.csv
  firstDate?: string; // default 2022-01-01 (Namdong solar data starts then, DOMAIN §2.8)
  latencyMs?: number;
  faultRate?: number; // 0..1 of csvDown.do requests answered 500/502/503 or a dropped connection
  failFirst?: number; // the first N attempts of every download fail: 500, 502, 503, dropped connection, in turn
  seed?: number;
  htmlFor?: (q: KoenSimQuery) => boolean; // HTML error page with HTTP 200
  tinyFor?: (q: KoenSimQuery) => boolean; // a tiny error body with HTTP 200 and a csv Content-Type
  truncateFor?: (q: KoenSimQuery) => boolean; // the CSV cut mid-row (the row at 60 % of its bytes), HTTP 200
  header?: KoenSimHeader;
  thousandsSeparators?: boolean; // values ≥ 1000 written "1,234.5" (quoted)
  blankFor?: (plantName: string, hogi: number, date: string, label: number) => "" | "-" | undefined;
  meterGaps?: number; // 0..1 share of unit-days with a meter outage: 1–6 daytime hours or the whole day of empty cells (meter_gaps.ts; default 0)
  extraRows?: (q: KoenSimQuery) => KoenSimExtraRow[];
  encoding?: "cp949" | "utf-8" | "utf-8-bom";
  setCookie?: boolean; // default true; false = the session page forgets the cookie
  tls?: { key: string; cert: string }; // HTTPS serving exactly this chain (a leaf alone = missing intermediate)
}

export interface KoenSimLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  cookie: string | null;
  referer: string | null;
  origin: string | null;
  contentType: string | null;
  answer: string; // "session" | "csv" | "html-maintenance" | "html-session" | "html-referer" | "tiny" | "fault-502" | …
}

export interface KoenSim {
  url: string; // base URL (origin), as KOEN_BASE_URL
  close(): Promise<void>;
  readonly requests: number;
  log: KoenSimLogEntry[];
}

// ---------------------------------------------------------------------------------------------
// Plants and values

interface PlantRow {
  operator: string;
  source_code: string;
  unit: string;
  lat: string;
  lon: string;
  capacity_kw: string;
}

const plantRows = Papa.parse<PlantRow>(readFileSync(new URL("../../data/plants.csv", import.meta.url), "utf8").replace(/^\uFEFF/, ""), {
  header: true,
  skipEmptyLines: true,
}).data.filter((r) => r.operator === "koen");


/** The 23 KOEN units of data/plants.csv (호기 blank → 1), each with a deterministic capacity. */
export const DEFAULT_KOEN_SIM_UNITS: readonly KoenSimUnit[] = plantRows.map((r) => ({
  plantName: r.source_code,
  hogi: r.unit === "" ? 1 : Number(r.unit),
  lat: Number(r.lat),
  lon: Number(r.lon),
  capacityKw: r.capacity_kw ? Number(r.capacity_kw) : 300 + Math.round(coin(`cap|${r.source_code}|${r.unit}`) * 2700),
}));

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const valueCache = new RecentCache<number[]>(4096); // unit-days

/**
 * Hourly kWh (labels 1..24) of a unit: sun altitude × capacity × the sky, as the unit's own arrays see
 * it (unit_sky.ts: a small per-unit sky perturbation and a fixed azimuth offset).
 */
function hourly(u: KoenSimUnit, iso: string): number[] {
  const key = `${u.plantName}|${u.hogi}|${u.capacityKw}|${u.lat}|${u.lon}|${iso}`;
  const hit = valueCache.get(key);
  if (hit) return hit;
  const midnight = kstMidnight(iso).getTime();
  const id = `koen|${u.plantName}|${u.hogi}`;
  const steps = 4;
  const values = Array.from({ length: 24 }, (_, h) => {
    let kwh = 0;
    for (let k = 0; k < steps; k++) {
      const t = midnight + h * 3_600_000 + ((k + 0.5) * 3_600_000) / steps;
      const { altitude: alt, azimuth: az } = getPosition(new Date(t), u.lat, u.lon); // degrees (suncalc 2)
      if (alt > 0) {
        const sky = unitSkyFactor(id, t, skyFactor(t, u.lat, u.lon)); // the site's sky as this unit's arrays see it
        kwh += (u.capacityKw * 0.7 * sky * unitOrientationFactor(id, alt, az) * Math.sin((alt * Math.PI) / 180) ** 1.2) / steps;
      }
    }
    return round3(kwh);
  });
  valueCache.set(key, values);
  return values;
}

/** The 24 hourly kWh (labels 1..24) the simulator serves for a unit and day. */
export function koenSimValue(plantName: string, hogi: number, date: string, units: readonly KoenSimUnit[] = DEFAULT_KOEN_SIM_UNITS): number[] {
  const u = units.find((x) => x.plantName === plantName && x.hogi === hogi);
  if (!u) throw new RangeError(`koenSimValue: ${plantName}/${hogi} is not a simulated unit`);
  return [...hourly(u, date)];
}

/**
 * The truth behind the simulator: what unit `plantName-hogi` really generated in the hour starting
 * at `hour` (0–23, interval start KST) of a day, meter gap or not.
 */
export function koenSimTruth(unit: string, isoDate: string, hour: number, units: readonly KoenSimUnit[] = DEFAULT_KOEN_SIM_UNITS): number {
  const i = unit.lastIndexOf("-");
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`koenSimTruth: hour ${hour} is not 0..23`);
  return koenSimValue(unit.slice(0, i), Number(unit.slice(i + 1)), isoDate, units)[hour];
}

/** Daily summary as the site writes it: total, average over 24 h (rounded), max and min of non-zero hours. */
export function koenSimSummary(values: number[]): { total: number; avg: number; max: number; min: number } {
  const total = round3(values.reduce((a, b) => a + b, 0));
  const nonZero = values.filter((v) => v > 0);
  return {
    total,
    avg: Math.round(total / 24),
    max: nonZero.length ? Math.max(...nonZero) : 0,
    min: nonZero.length ? Math.min(...nonZero) : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// CSV body

function headerCells(variant: KoenSimHeader): string[] {
  const hours = (label: (h: number) => string) => Array.from({ length: 24 }, (_, i) => label(i + 1));
  switch (variant) {
    case "standard":
      return ["발전구분", "호기", "일자", ...hours((h) => `${h}시 발전량(KWh)`), "총량(KW)", "평균(KW)", "최대(시간별)", "최소(시간별)"];
    case "mwh": // non-PV menus label MWh although the values are kWh (DOMAIN §9.15)
      return ["발전구분", "호기", "일자", ...hours((h) => `${h}시 발전량(MWh)`), "총량(MWh)", "평균(MWh)", "최대(시간별)", "최소(시간별)"];
    case "compact":
      return ["발전구분", "호기", "일자", ...hours((h) => `${h}시발전량(kWh)`), "총량", "평균", "최대", "최소"];
    case "quoted":
      return ["발전구분", "호기", "일자", ...hours((h) => `"${h}시\n발전량  (KWh)"`), `"총량\n(KW)"`, "평균(KW)", "최대(시간별)", "최소(시간별)"];
    case "alias":
      return ["발전소명", "호기", "일자", ...hours((h) => `${String(h).padStart(2, "0")}시 발전량(KWh)`), "총량(KW)", "평균(KW)", "최대(시간별)", "최소(시간별)"];
  }
}

function num(v: number, thousands: boolean): string {
  if (!thousands || Math.abs(v) < 1000) return String(v);
  return `"${v.toLocaleString("en-US", { maximumFractionDigits: 3 })}"`;
}

/** The exact bytes csvDown.do answers for a query (also used by unit tests as a fixture). */
/**
 * A download cut in the middle of the row at 60 % of its bytes (the `truncateFor` fault). A cut
 * right after a line end, or inside a row's last field, would leave a shorter file of well-formed
 * rows: another fault, which a month file alone cannot reveal.
 */
export function truncateMidRow(full: Buffer): Buffer {
  const rowStart = full.lastIndexOf(0x0a, Math.floor(full.length * 0.6) - 1) + 1;
  const rowEnd = full.indexOf(0x0a, rowStart);
  return full.subarray(0, rowStart + Math.floor(((rowEnd < 0 ? full.length : rowEnd) - rowStart) / 2));
}

export function koenSimCsv(q: KoenSimQuery, opts: KoenSimOptions = {}): Buffer {
  const units = opts.units ?? DEFAULT_KOEN_SIM_UNITS;
  const lastDataDay = addDays(opts.today ?? todayKst(), -1);
  const firstDate = opts.firstDate ?? "2022-01-01";
  const variant = opts.header ?? "standard";
  const sep = variant === "compact" ? "," : ", ";
  const encode = (s: string) => (opts.encoding === "utf-8" || opts.encoding === "utf-8-bom" ? Buffer.from(s, "utf8") : iconv.encode(s, "cp949"));
  const parts: Buffer[] = [];
  if (opts.encoding === "utf-8-bom") parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  parts.push(encode(headerCells(variant).join(sep) + "\r\n"));
  const from = q.start > firstDate ? q.start : firstDate;
  const to = q.end < lastDataDay ? q.end : lastDataDay;
  for (const day of from <= to ? eachDay(from, to) : []) {
    for (const u of units) {
      if ((u.firstDate && day < u.firstDate) || (u.lastDate && day > u.lastDate)) continue;
      const values = hourly(u, day);
      const gaps = meterGapLabels(`${u.plantName}-${u.hogi}`, day, opts.meterGaps ?? 0);
      const s = koenSimSummary(values.map((v, i) => (gaps.includes(i + 1) ? 0 : v))); // the site sums what it has
      const cells = values.map((v, i) => opts.blankFor?.(u.plantName, u.hogi, day, i + 1) ?? (gaps.includes(i + 1) ? "" : num(v, opts.thousandsSeparators === true)));
      const row = [u.plantName, String(u.hogi), day, ...cells, num(s.total, opts.thousandsSeparators === true), String(s.avg), String(s.max), String(s.min)];
      parts.push(encode(row.join(sep) + "\r\n"));
    }
  }
  for (const x of opts.extraRows?.(q) ?? []) {
    const values = x.values ?? Array.from({ length: 24 }, (_, i) => (i >= 6 && i <= 18 ? round3(50 * Math.sin(((i - 6) / 12) * Math.PI)) : 0));
    const rest = [x.hogi, x.date, ...values.map(String), "0", "0", "0", "0"].join(sep);
    parts.push(x.nameBytes ?? encode(x.plantName ?? ""), encode(`${sep}${rest}\r\n`));
  }
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------
// Server

const htmlPage = (title: string, body = "잠시 후 다시 이용해 주십시오.") =>
  iconv.encode(
    `<!DOCTYPE html>\n<html lang="ko"><head><meta charset="euc-kr"><title>${title}</title></head>` +
      `<body><div class="error"><h1>${title}</h1><p>${body}</p></div></body></html>`,
    "cp949",
  );

const sessionPage = () =>
  iconv.encode(
    `<!DOCTYPE html>\n<html lang="ko"><head><meta charset="euc-kr"><title>발전실적 - 태양광</title></head><body>` +
      `<form id="frm" method="post" action="${KOEN_SIM_PAGE}/csvDown.do"><input type="hidden" name="menuCd" value="${KOEN_SIM_MENU}"></form>` +
      `<table class="list">${"<tr><td>-</td></tr>".repeat(40)}</table></body></html>`,
    "cp949",
  );

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const cookieValue = (header: string | undefined, name: string): string | null => {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
};

export async function startKoenSim(opts: KoenSimOptions = {}): Promise<KoenSim> {
  const sessions = new Set<string>();
  const attempts = new Map<string, number>();
  const log: KoenSimLogEntry[] = [];
  const faultRate = opts.faultRate ?? 0;
  const seed = opts.seed ?? 1;
  let requests = 0;
  let origin = "";

  type Answer = { status: number; headers: Record<string, string>; body: Buffer; tag: string } | { drop: true; tag: string };
  const html = (title: string, tag: string, text?: string): Answer => ({
    status: 200,
    headers: { "content-type": "text/html;charset=euc-kr" },
    body: htmlPage(title, text),
    tag,
  });

  function download(req: IncomingMessage, form: URLSearchParams): Answer {
    const start = normalizeYmd(form.get("strDateS") ?? "");
    const end = normalizeYmd(form.get("strDateE") ?? "");
    const canonical = `${form.get("strDateS")}|${form.get("strDateE")}|${form.get("strOrgNo")}`;
    const attempt = (attempts.get(canonical) ?? 0) + 1;
    attempts.set(canonical, attempt);
    const forced = attempt <= (opts.failFirst ?? 0);
    if (forced || (faultRate > 0 && coin(`fault|${seed}|${canonical}|${attempt}`) < faultRate)) {
      const kind = forced ? (attempt - 1) % 4 : Math.floor(coin(`kind|${seed}|${canonical}|${attempt}`) * 4);
      if (kind === 0) return { status: 500, headers: { "content-type": "text/plain" }, body: Buffer.from("Internal Server Error"), tag: "fault-500" };
      if (kind === 1) return { ...(html("502 Bad Gateway", "fault-502") as { headers: Record<string, string>; body: Buffer }), status: 502, tag: "fault-502" };
      if (kind === 2) return { ...(html("503 Service Unavailable", "fault-503") as { headers: Record<string, string>; body: Buffer }), status: 503, tag: "fault-503" };
      return { drop: true, tag: "fault-drop" };
    }
    // The site answers every refusal with an HTML page and HTTP 200.
    const session = cookieValue(req.headers.cookie, "JSESSIONID");
    if (!session || !sessions.has(session)) return html("세션이 만료되었습니다", "html-session", "다시 조회해 주십시오.");
    const referer = req.headers.referer ?? "";
    if (!referer.startsWith(`${origin}${KOEN_SIM_PAGE}/main.do`)) return html("잘못된 접근입니다", "html-referer", "정상적인 경로로 이용해 주십시오.");
    if (req.headers.origin !== undefined && req.headers.origin !== origin) return html("잘못된 접근입니다", "html-origin");
    if (!(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded") || form.get("menuCd") !== KOEN_SIM_MENU || !start || !end || start > end) {
      return { status: 200, headers: { "content-type": "text/csv;charset=MS949" }, body: iconv.encode("잘못된 요청입니다.", "cp949"), tag: "tiny-invalid" };
    }
    const q: KoenSimQuery = { start, end, orgNo: form.get("strOrgNo") ?? "", hokiS: form.get("strHokiS") ?? "", hokiE: form.get("strHokiE") ?? "" };
    if (opts.htmlFor?.(q)) return html("서비스 점검 중", "html-maintenance", "시스템 점검으로 서비스를 일시 중단합니다.");
    if (opts.tinyFor?.(q)) {
      return { status: 200, headers: { "content-type": "text/csv;charset=MS949" }, body: iconv.encode("오류가 발생하였습니다. 관리자에게 문의하세요.", "cp949"), tag: "tiny" };
    }
    const full = koenSimCsv(q, opts);
    const truncated = opts.truncateFor?.(q) ?? false;
    const body = truncated ? truncateMidRow(full) : full;
    return {
      status: 200,
      headers: {
        "content-type": opts.encoding?.startsWith("utf-8") ? "text/csv;charset=UTF-8" : "text/csv;charset=MS949",
        "content-disposition": `attachment; filename="south_pv_${form.get("strDateS")}-${form.get("strDateE")}.csv"`,
      },
      body,
      tag: truncated ? "csv-truncated" : "csv",
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests++;
    const url = new URL(req.url ?? "/", "http://sim.invalid");
    const raw = req.method === "POST" ? await readBody(req) : "";
    const form = new URLSearchParams(raw);
    const entry: KoenSimLogEntry = {
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      form: Object.fromEntries(form),
      cookie: req.headers.cookie ?? null,
      referer: req.headers.referer ?? null,
      origin: req.headers.origin ?? null,
      contentType: req.headers["content-type"] ?? null,
      answer: "",
    };
    log.push(entry);
    if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
    let a: Answer;
    if (req.method === "GET" && url.pathname === `${KOEN_SIM_PAGE}/main.do`) {
      const headers: Record<string, string> = { "content-type": "text/html;charset=euc-kr" };
      if (opts.setCookie !== false) {
        const id = randomBytes(16).toString("hex").toUpperCase();
        sessions.add(id);
        headers["set-cookie"] = `JSESSIONID=${id}; Path=/; HttpOnly`;
      }
      a = { status: 200, headers, body: sessionPage(), tag: "session" };
    } else if (req.method === "POST" && url.pathname === `${KOEN_SIM_PAGE}/csvDown.do`) {
      a = download(req, form);
    } else {
      a = { status: 404, headers: { "content-type": "text/html" }, body: htmlPage("404 Not Found"), tag: "not-found" };
    }
    entry.answer = a.tag;
    if ("drop" in a) {
      req.socket.destroy();
      return;
    }
    res.writeHead(a.status, a.headers).end(a.body);
  }

  const server = await listenSim(handle, opts.tls);
  origin = server.origin;
  return {
    url: origin,
    close: server.close,
    get requests() {
      return requests;
    },
    log,
  };
}
