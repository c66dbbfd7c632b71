// The bits of Go's standard library that Grafana's PostgreSQL backend uses to print a query:
// time.ParseDuration, gtime.ParseInterval / FormatInterval (grafana-plugin-sdk-go backend/gtime),
// fmt's %v for float64 and time.RFC3339Nano. Ported so that src/grafana/macros.ts produces the
// very bytes the Go code produces (e.g. `$__timeGroup(t,'30d')` → `.../2.592e+06)*2.592e+06`).

/** A Go time.Duration: integer nanoseconds (BigInt, because a year of ns exceeds 2^53). */
export type Duration = bigint;

export const NS = {
  ns: 1n,
  us: 1_000n,
  "µs": 1_000n, // U+00B5
  "μs": 1_000n, // U+03BC
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
} as const;

export class GoParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GoParseError";
  }
}

/** Go's time.ParseDuration: "300ms", "-1.5h", "2h45m"; units ns, us/µs, ms, s, m, h. */
export function parseGoDuration(input: string): Duration {
  const orig = input;
  let s = input;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw new GoParseError(`time: invalid duration "${orig}"`);
  let total = 0n;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const intPart = m[1];
    const fracPart = m[2];
    if (intPart === "" && (fracPart === undefined || fracPart === "")) throw new GoParseError(`time: invalid duration "${orig}"`);
    s = s.slice(m[0].length);
    const u = /^[^0-9.]+/.exec(s);
    if (!u) throw new GoParseError(`time: missing unit in duration "${orig}"`);
    const unitName = u[0] as keyof typeof NS;
    const unit = NS[unitName];
    if (unit === undefined) throw new GoParseError(`time: unknown unit "${u[0]}" in duration "${orig}"`);
    s = s.slice(u[0].length);
    let v = BigInt(intPart === "" ? "0" : intPart) * unit;
    if (fracPart) {
      // Go scales the fraction with float64 arithmetic and truncates: v += int64(float64(f) * (float64(unit) / scale)).
      const f = Number(fracPart.slice(0, 18));
      const scale = 10 ** Math.min(fracPart.length, 18);
      v += BigInt(Math.trunc(f * (Number(unit) / scale)));
    }
    total += v;
  }
  if (total > 9223372036854775807n) throw new GoParseError(`time: invalid duration "${orig}"`);
  return neg ? -total : total;
}

/**
 * gtime.ParseInterval: `^(\d+)([dwMy])$` is calendar arithmetic on the current UTC time (so `1M`
 * depends on the month), anything else is time.ParseDuration.
 */
export function parseGrafanaInterval(input: string, now: Date = new Date()): Duration {
  const m = /^(\d+)([dwMy])$/.exec(input);
  if (!m) return parseGoDuration(input);
  const n = Number(m[1]);
  const t = now.getTime();
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  const day = d.getUTCDate();
  const rest = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()] as const;
  let target: number;
  switch (m[2]) {
    case "d":
      target = Date.UTC(y, mo, day + n, ...rest);
      break;
    case "w":
      target = Date.UTC(y, mo, day + n * 7, ...rest);
      break;
    case "M":
      target = Date.UTC(y, mo + n, day, ...rest); // normalises like Go's AddDate (Jan 31 + 1M = Mar 3)
      break;
    default:
      target = Date.UTC(y + n, mo, day, ...rest);
  }
  return BigInt(target - t) * NS.ms;
}

/** gtime.FormatInterval: the largest whole unit, truncated: 90m → "1h", 36h → "1d", <1ms → "1ms". */
export function formatGrafanaInterval(d: Duration): string {
  const year = NS.h * 24n * 365n;
  const day = NS.h * 24n;
  if (d >= year) return `${d / year}y`;
  if (d >= day) return `${d / day}d`;
  if (d >= NS.h) return `${d / NS.h}h`;
  if (d >= NS.m) return `${d / NS.m}m`;
  if (d >= NS.s) return `${d / NS.s}s`;
  if (d >= NS.ms) return `${d / NS.ms}ms`;
  return "1ms";
}

/** Go's Duration.Seconds(): whole seconds plus the nanosecond remainder as float64. */
export function durationSeconds(d: Duration): number {
  const sec = d / NS.s;
  const nsec = d % NS.s;
  return Number(sec) + Number(nsec) / 1e9;
}

/** Go's Duration.Milliseconds(). */
export function durationMilliseconds(d: Duration): bigint {
  return d / NS.ms;
}

/**
 * fmt.Sprintf("%v", float64): shortest representation that round-trips, in %e form when the
 * decimal exponent is < -4 or >= 6 (Go's shortest-%g rule), e.g. 300 → "300", 2592000 → "2.592e+06".
 */
export function goFormatFloatV(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const sign = x < 0 ? "-" : "";
  const [mant, expStr] = Math.abs(x).toExponential().split("e");
  const exp = Number(expStr);
  const digits = mant.replace(".", "");
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp >= 0) {
    const intLen = exp + 1;
    const int = digits.length <= intLen ? digits.padEnd(intLen, "0") : digits.slice(0, intLen);
    const frac = digits.length > intLen ? digits.slice(intLen) : "";
    return `${sign}${int}${frac ? `.${frac}` : ""}`;
  }
  return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
}

/** Go's time.Time.UTC().Format(time.RFC3339Nano): fraction without trailing zeros, "Z". */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2018-04-12T18:00:00.000Z (ms precision, like Grafana's range)
  const m = /^(.*T\d{2}:\d{2}:\d{2})\.(\d{3})Z$/.exec(iso);
  if (!m) throw new Error(`cannot format ${ms} as RFC3339`);
  const frac = m[2].replace(/0+$/, "");
  return `${m[1]}${frac ? `.${frac}` : ""}Z`;
}

/** Go's Time.Unix(): seconds, floored (the internal representation keeps nsec >= 0). */
export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export function unixNanos(ms: number): bigint {
  return BigInt(ms) * 1_000_000n;
}
