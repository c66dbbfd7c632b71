// How the Grafana frontend chooses $__interval for a panel query (@grafana/data rangeutil):
// (to - from) / maxDataPoints, rounded to a "nice" step, never below the lower limit (the panel's
// min interval, else the data source's timeInterval, which SQL data sources default to "1m").

const INTERVAL_REGEX = /(-?\d+(?:\.\d+)?)(ms|[Mwdhmsy])/;
const INTERVALS_IN_SECONDS: Record<string, number> = {
  y: 31536000,
  M: 2592000,
  w: 604800,
  d: 86400,
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
};

/** rangeutil.describeInterval + intervalToMs: "1m" → 60000; a bare number is seconds. */
export function intervalToMs(str: string): number {
  if (Number(str)) return parseInt(str, 10) * 1000;
  const m = str.match(INTERVAL_REGEX);
  if (!m) throw new Error(`Invalid interval string "${str}"`);
  const sec = INTERVALS_IN_SECONDS[m[2]];
  return sec * 1000 * parseInt(m[1], 10);
}

/** rangeutil.roundInterval (milliseconds in, milliseconds out). */
export function roundInterval(interval: number): number {
  const ladder: [number, number][] = [
    [10, 1],
    [15, 10],
    [35, 20],
    [75, 50],
    [150, 100],
    [350, 200],
    [750, 500],
    [1500, 1000],
    [3500, 2000],
    [7500, 5000],
    [12500, 10000],
    [17500, 15000],
    [25000, 20000],
    [45000, 30000],
    [90000, 60000],
    [210000, 120000],
    [450000, 300000],
    [750000, 600000],
    [1050000, 900000],
    [1500000, 1200000],
    [2700000, 1800000],
    [5400000, 3600000],
    [9000000, 7200000],
    [16200000, 10800000],
    [32400000, 21600000],
    [86400000, 43200000],
    [604800000, 86400000],
    [1814400000, 604800000],
    [3628800000, 2592000000],
  ];
  for (const [below, value] of ladder) if (interval < below) return value;
  return 31536000000;
}

/** rangeutil.secondsToHms: the largest non-zero unit only ("1h", "30d", "500ms"). */
export function secondsToHms(seconds: number): string {
  const numYears = Math.floor(seconds / 31536000);
  if (numYears) return `${numYears}y`;
  const numDays = Math.floor((seconds % 31536000) / 86400);
  if (numDays) return `${numDays}d`;
  const numHours = Math.floor(((seconds % 31536000) % 86400) / 3600);
  if (numHours) return `${numHours}h`;
  const numMinutes = Math.floor((((seconds % 31536000) % 86400) % 3600) / 60);
  if (numMinutes) return `${numMinutes}m`;
  const numSeconds = Math.floor((((seconds % 31536000) % 86400) % 3600) % 60);
  if (numSeconds) return `${numSeconds}s`;
  const numMilliseconds = Math.floor(seconds * 1000.0);
  if (numMilliseconds) return `${numMilliseconds}ms`;
  return "less than a millisecond";
}

export interface IntervalValues {
  interval: string;
  intervalMs: number;
}

/** rangeutil.calculateInterval. */
export function calculateInterval(range: { from: number; to: number }, resolution: number, lowLimitInterval?: string): IntervalValues {
  let lowLimitMs = 1;
  if (lowLimitInterval) lowLimitMs = intervalToMs(lowLimitInterval);
  let intervalMs = roundInterval((range.to - range.from) / resolution);
  if (lowLimitMs > intervalMs) intervalMs = lowLimitMs;
  return { intervalMs, interval: secondsToHms(intervalMs / 1000) };
}

/** SQL data sources: `this.interval = jsonData.timeInterval || '1m'`. */
export const SQL_DEFAULT_TIME_INTERVAL = "1m";
