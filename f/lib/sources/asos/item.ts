// One ASOS getWthrDataList item (one station, one hour). Values are kept exactly as received in raw;
// numbers are parsed later by the merge step with parseNumber ("" → NULL, never 0).
import { z } from "zod";
import { parseKstWallClock } from "../../time/kst.ts";

/** Source field → serving-table column, with the unit the source uses (kept as is). */
export const ASOS_VALUE_FIELDS = [
  { field: "ta", column: "ta", unit: "°C" },
  { field: "rn", column: "rn", unit: "mm" },
  { field: "ws", column: "ws", unit: "m/s" },
  { field: "wd", column: "wd", unit: "deg" },
  { field: "hm", column: "hm", unit: "%" },
  { field: "pv", column: "pv", unit: "hPa" },
  { field: "td", column: "td", unit: "°C" },
  { field: "pa", column: "pa", unit: "hPa" },
  { field: "ps", column: "ps", unit: "hPa" },
  { field: "ss", column: "ss", unit: "h" },
  { field: "icsr", column: "icsr", unit: "MJ/m²" },
  { field: "dsnw", column: "dsnw", unit: "cm" },
  { field: "hr3Fhsc", column: "hr3_fhsc", unit: "cm" },
  { field: "dc10Tca", column: "dc10_tca", unit: "1/10" },
  { field: "dc10LmcsCa", column: "dc10_lmcs_ca", unit: "1/10" },
  { field: "lcsCh", column: "lcs_ch", unit: "100 m" },
  { field: "vs", column: "vs", unit: "10 m" },
  { field: "ts", column: "ts", unit: "°C" },
] as const;

export type AsosColumn = (typeof ASOS_VALUE_FIELDS)[number]["column"];
export const ASOS_COLUMNS: AsosColumn[] = ASOS_VALUE_FIELDS.map((f) => f.column);

/** The fields impute fills; each has a `<field>_filled` column and an entry in fill_methods. */
export const ASOS_FILLED_COLUMNS = ["ta", "hm", "ps", "pa", "td", "ws", "rn", "ss", "icsr"] as const satisfies readonly AsosColumn[];

// A cell is a string in the wire format; tolerate numbers and null from a lenient gateway.
const cell = z.union([z.string(), z.number(), z.null()]);

/** Required: `tm` as KST wall-clock `YYYY-MM-DD HH:MM`. Every other key is kept. */
export const asosItem = z.looseObject({
  tm: z.string().refine((s) => parseKstWallClock(s) !== null, { message: "tm is not a KST time (YYYY-MM-DD HH:MM)" }),
  stnId: cell.optional(),
  stnNm: cell.optional(),
  ...Object.fromEntries(ASOS_VALUE_FIELDS.map((f) => [f.field, cell.optional()])),
});

/** The item exactly as received. */
export type AsosRawItem = Record<string, unknown>;

/** The observation instant of an item (tm, KST). */
export function asosItemTime(item: AsosRawItem): Date {
  const d = parseKstWallClock(String(item.tm ?? ""));
  if (d === null) throw new RangeError(`item tm "${String(item.tm)}" is not a KST time`);
  return d;
}

/** The KST calendar date of an item's tm (`2025-07-01 14:00` → `2025-07-01`). */
export const asosItemDate = (item: AsosRawItem): string => String(item.tm).trim().slice(0, 10);
