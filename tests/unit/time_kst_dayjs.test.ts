// kst.ts does its date arithmetic on day numbers (a dayjs object per call was a sixth of what a
// backfill allocated); dayjs stays the reference: every answer must be the one it gives.
import dayjs from "dayjs";
import customParseFormat from "dayjs/plugin/customParseFormat.js";
import utc from "dayjs/plugin/utc.js";
import { describe, expect, it } from "vitest";
import { addDays, addMonths, daysBetween, isoDate, kstMidnight, monthEnd, normalizeYmd } from "../../f/lib/time/kst.ts";

dayjs.extend(utc);
dayjs.extend(customParseFormat);

const pad = (n: number, w: number) => String(n).padStart(w, "0");
// Every month of a leap and a common year, days 0–32 (so invalid dates too), years at the edges.
const dates = [999, 1000, 2023, 2024, 2100, 9999].flatMap((y) =>
  Array.from({ length: 14 }, (_, m) => Array.from({ length: 33 }, (_, d) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`)).flat(),
).concat(["2024-6-01", "x2024-06-01", "2024-06-01x", "", "2024/06/01"]);

describe("kst.ts date arithmetic equals dayjs's", () => {
  it("on real and invalid dates, across month, year and century ends", () => {
    const diffs: string[] = [];
    const same = (what: string, a: unknown, b: unknown) => void (String(a) !== String(b) && diffs.push(`${what}: ${String(a)} ≠ ${String(b)}`));
    for (const s of dates) {
      same(`isoDate ${s}`, isoDate.safeParse(s).success, /^\d{4}-\d{2}-\d{2}$/.test(s) && dayjs(s, "YYYY-MM-DD", true).isValid());
      same(`normalizeYmd ${s}`, normalizeYmd(s) !== null, /^\d{4}[-/.]?\d{2}[-/.]?\d{2}$/.test(s) && dayjs(s.replace(/[/.]/g, "-"), "YYYY-MM-DD", true).isValid());
      for (const n of [-400, -1, 0, 1, 31, 3653]) same(`addDays ${s} ${n}`, addDays(s, n), dayjs.utc(s).add(n, "day").format("YYYY-MM-DD"));
      for (const n of [-13, -1, 0, 1, 12, 120]) same(`addMonths ${s} ${n}`, addMonths(s, n), dayjs.utc(`${s.slice(0, 7)}-01`).add(n, "month").format("YYYY-MM-DD"));
      same(`monthEnd ${s}`, monthEnd(s), dayjs.utc(`${s.slice(0, 7)}-01`).endOf("month").format("YYYY-MM-DD"));
      same(`daysBetween ${s}`, daysBetween("2020-01-01", s), dayjs.utc(s).diff(dayjs.utc("2020-01-01"), "day"));
      same(`kstMidnight ${s}`, kstMidnight(s).getTime(), new Date(`${s}T00:00:00+09:00`).getTime());
    }
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});
