// Grafana relative time ranges ("now-7d", "now-1M/M", "now/d") resolved in the dashboard's zone,
// as @grafana/data dateMath does: `from` rounds down to the start of the unit, `to` up to its end.
// Only fixed-offset zones are needed here (Asia/Seoul has been UTC+9 without DST since 1988).

export const KST_OFFSET_MS = 9 * 3600 * 1000;

const UNITS = new Set(["y", "M", "w", "d", "h", "m", "s"]);

/** Wall-clock fields of an instant in a fixed-offset zone. */
function fields(ms: number, offset: number) {
  const d = new Date(ms + offset);
  return { y: d.getUTCFullYear(), M: d.getUTCMonth(), d: d.getUTCDate(), h: d.getUTCHours(), m: d.getUTCMinutes(), s: d.getUTCSeconds(), ms: d.getUTCMilliseconds(), dow: d.getUTCDay() };
}

function fromFields(f: { y: number; M: number; d: number; h: number; m: number; s: number; ms: number }, offset: number): number {
  return Date.UTC(f.y, f.M, f.d, f.h, f.m, f.s, f.ms) - offset;
}

const daysInMonth = (y: number, M: number) => new Date(Date.UTC(y, M + 1, 0)).getUTCDate();

/** Whole months later (or earlier), the day clamped to the target month as moment does (Dec 31 - 1M = Nov 30). */
function addMonths(f: ReturnType<typeof fields>, n: number, offset: number): number {
  const total = f.y * 12 + f.M + n;
  const y = Math.floor(total / 12);
  const M = total - y * 12;
  return fromFields({ ...f, y, M, d: Math.min(f.d, daysInMonth(y, M)) }, offset);
}

function add(ms: number, n: number, unit: string, offset: number): number {
  const f = fields(ms, offset);
  switch (unit) {
    case "y":
      return addMonths(f, 12 * n, offset);
    case "M":
      return addMonths(f, n, offset);
    case "w":
      return ms + n * 7 * 86400000;
    case "d":
      return ms + n * 86400000;
    case "h":
      return ms + n * 3600000;
    case "m":
      return ms + n * 60000;
    default:
      return ms + n * 1000;
  }
}

function startOf(ms: number, unit: string, offset: number): number {
  const f = fields(ms, offset);
  const z = { ...f, ms: 0 };
  switch (unit) {
    case "y":
      return fromFields({ ...z, M: 0, d: 1, h: 0, m: 0, s: 0 }, offset);
    case "M":
      return fromFields({ ...z, d: 1, h: 0, m: 0, s: 0 }, offset);
    case "w": // moment's startOf('week') with the default locale: Sunday
      return fromFields({ ...z, d: f.d - f.dow, h: 0, m: 0, s: 0 }, offset);
    case "d":
      return fromFields({ ...z, h: 0, m: 0, s: 0 }, offset);
    case "h":
      return fromFields({ ...z, m: 0, s: 0 }, offset);
    case "m":
      return fromFields({ ...z, s: 0 }, offset);
    default:
      return fromFields(z, offset);
  }
}

/** dateMath.parse for "now[±N unit]*[/unit]" or an ISO instant. */
export function parseRelative(text: string, opts: { now: number; roundUp: boolean; offsetMs?: number }): number {
  const offset = opts.offsetMs ?? KST_OFFSET_MS;
  if (!text.startsWith("now")) {
    const t = Date.parse(text);
    if (Number.isNaN(t)) throw new Error(`cannot parse time "${text}"`);
    return t;
  }
  let ms = opts.now;
  let rest = text.slice(3);
  while (rest.length > 0) {
    const m = /^([+-])(\d*)([yMwdhms])|^\/([yMwdhms])/.exec(rest);
    if (!m) throw new Error(`cannot parse time "${text}"`);
    if (m[4]) {
      if (!UNITS.has(m[4])) throw new Error(`bad unit in "${text}"`);
      const start = startOf(ms, m[4], offset);
      ms = opts.roundUp ? add(start, 1, m[4], offset) - 1 : start;
    } else {
      const n = m[2] === "" ? 1 : Number(m[2]);
      ms = add(ms, m[1] === "-" ? -n : n, m[3], offset);
    }
    rest = rest.slice(m[0].length);
  }
  return ms;
}

export function resolveRange(range: { from: string; to: string }, now: number, offsetMs = KST_OFFSET_MS): { from: number; to: number } {
  return {
    from: parseRelative(range.from, { now, roundUp: false, offsetMs }),
    to: parseRelative(range.to, { now, roundUp: true, offsetMs }),
  };
}
