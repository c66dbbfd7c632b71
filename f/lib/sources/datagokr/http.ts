// Small transport helpers shared by the data.go.kr clients (KOSPO and ASOS).

/** Retry-After as seconds or an HTTP date → ms, capped so a bogus header cannot stall a run for hours. */
export function parseRetryAfter(h: string | null, maxMs = 300_000): number | undefined {
  if (h === null || h.trim() === "") return undefined;
  const secs = Number(h);
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(h) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), maxMs) : undefined;
}

/** A network error with its cause ("fetch failed: ECONNRESET socket hang up"). */
export function networkDetail(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${e.message}: ${typeof code === "string" ? `${code} ` : ""}${cause.message}`;
  }
  return e.message;
}

export function positiveInt(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer, got ${n}`);
  return n;
}

export function nonNegativeInt(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
  return n;
}
