// One line and a few numbers for a step's result in the event log: counts, units, ranges —
// never the result whole (plans list every chunk, reports every failure).
const COUNT_KEYS = ["partitions", "success", "empty", "failed", "inserted", "updated", "rows", "fetched", "skipped", "requests", "retries", "results", "passed", "errors", "warnings", "filled"];
const LABEL_KEYS = ["unit", "source", "asset", "start", "end", "policy", "status"];

export function summarizeResult(result: unknown): { text: string; data: Record<string, unknown> | null } {
  if (result === null || result === undefined) return { text: "", data: null };
  if (typeof result !== "object" || Array.isArray(result)) {
    return Array.isArray(result) ? { text: `${result.length} items`, data: { items: result.length } } : { text: String(result).slice(0, 200), data: null };
  }
  const r = result as Record<string, unknown>;
  const data: Record<string, unknown> = {};
  for (const k of LABEL_KEYS) if (typeof r[k] === "string" || typeof r[k] === "number") data[k] = r[k];
  for (const k of COUNT_KEYS) if (typeof r[k] === "number") data[k] = r[k];
  if (Array.isArray(r.chunks)) data.chunks = r.chunks.length;
  const label = [data.unit ?? data.asset, data.start && data.end ? `${data.start}..${data.end}` : null].filter(Boolean).join(" ");
  const counts = COUNT_KEYS.filter((k) => k in data).map((k) => `${k} ${data[k]}`);
  if (typeof data.chunks === "number") counts.push(`chunks ${data.chunks}`);
  return { text: [label, counts.join(", ")].filter(Boolean).join(": "), data: Object.keys(data).length ? data : null };
}
