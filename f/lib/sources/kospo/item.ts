// One KOSPO PwrSunLightInfo item (one plant unit, one day). Values stay the strings the API sent:
// the raw item is stored as is, and numbers are parsed later by the merge step with parseKwh.
import { z } from "zod";
import { normalizeYmd } from "../../time/kst.ts";
import { parseNumber } from "../numeric.ts";

export const HOUR_FIELDS = Array.from({ length: 24 }, (_, i) => `qhorgen${String(i + 1).padStart(2, "0")}`);

const text = z.string();
const hourShape = Object.fromEntries(HOUR_FIELDS.map((f) => [f, text])) as Record<string, typeof text>;

/**
 * Required: a valid `ymd` (YYYYMMDD or YYYY-MM-DD) and the 24 hour cells (may be "").
 * Optional: gencd/hogi (the request already knows them), ipptnm (sometimes empty or missing, DOMAIN §9.3)
 * and the daily summary. Every other child tag is kept.
 */
export const kospoItem = z.looseObject({
  ymd: text.refine((s) => normalizeYmd(s) !== null, { message: "ymd is not a date (YYYYMMDD or YYYY-MM-DD)" }),
  gencd: text.optional(),
  hogi: text.optional(),
  ipptnm: text.optional(),
  ...hourShape,
  qvodgen: text.optional(),
  qvodavg: text.optional(),
  qvodmax: text.optional(),
  qvodmin: text.optional(),
});

/** The fields kospoItem lets an item leave out. */
export const OPTIONAL_FIELDS: string[] = Object.entries(kospoItem.shape).filter(([, t]) => t.safeParse(undefined).success).map(([k]) => k);

/** The item exactly as received: every child tag, every value a string. */
export type KospoRawItem = Record<string, string>;

/** The ISO date of a validated item. */
export function kospoItemDate(item: KospoRawItem): string {
  const iso = normalizeYmd(item.ymd ?? "");
  if (iso === null) throw new RangeError(`item ymd "${item.ymd}" is not a date`);
  return iso;
}

/** kWh from an API cell: "1,234.5" → 1234.5; "", "-", "NaN" and anything non-numeric → null, never 0. */
export function parseKwh(s: string | undefined): number | null {
  return parseNumber(s);
}
