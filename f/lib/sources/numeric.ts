// Numbers from data.go.kr cells, which are always strings: "1,234.5" → 1234.5; "", "-", "NaN",
// "null" and anything else non-numeric → null, never 0 (DOMAIN §9.16, §9.20).

/** A finite number from an API cell, or null when the cell holds no number. */
export function parseNumber(s: string | number | null | undefined): number | null {
  if (s === undefined || s === null) return null;
  if (typeof s === "number") return Number.isFinite(s) ? s : null;
  const t = s.trim().replaceAll(",", "");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}
