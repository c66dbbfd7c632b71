// Row-level corrections of the earlier Python pipeline's data (DOMAIN §1.12, §2.8, §9 pitfalls
// 4, 7, 8, 10, 14). Pure functions: the database and CSV readers call them per row, the unit tests
// pin them. Legacy timestamps are naive KST wall-clock text; everything returned is an instant.
import { normalizeYmd } from "../../f/lib/time/kst.ts";

const HOUR_MS = 3_600_000;

/** Legacy Nambu rows before this naive KST instant were written hour-ending (1 h late). */
export const NAMBU_LEGACY_LATE_BEFORE = "2026-01-01 00:00:00";

/**
 * Naive KST wall-clock text as PostgreSQL (`timestamp::text`) or pandas wrote it —
 * `2025-06-01 13:00:00`, `2025-06-01T13:00`, `2025-06-01 13:00:00.000`, `2025-06-01` — as an instant;
 * null when it is not one.
 */
export function parseNaiveKst(s: string | null | undefined): Date | null {
  if (s === null || s === undefined) return null;
  const m = /^(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}\/\d{2}\/\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(s.trim());
  if (!m) return null;
  const day = normalizeYmd(m[1]);
  if (day === null) return null;
  const [h, mi, se] = [Number(m[2] ?? 0), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  if (h > 23 || mi > 59 || se > 59) return null;
  return new Date(`${day}T${String(h).padStart(2, "0")}:${String(mi).padStart(2, "0")}:${String(se).padStart(2, "0")}+09:00`);
}

/** The naive KST text of an instant, `YYYY-MM-DD HH:mm:ss` (for comparisons with legacy text). */
export function naiveKst(d: Date): string {
  return new Date(d.getTime() + 9 * HOUR_MS).toISOString().slice(0, 19).replace("T", " ");
}

export interface Corrected {
  datetime: Date;
  /** The stored timestamp was moved. */
  shifted: boolean;
}

/**
 * `nambu_generation` of the earlier pipeline: rows before 2026-01-01 00:00 came from the legacy
 * merge (label N stored at N:00, 1 h late) and move back one hour; later rows (daily collector,
 * backfill) are interval start already. So the legacy `2025-12-31 00:00` (the 24시 of 12-30) becomes
 * 2025-12-30 23:00 and 2025-12-31 stays a hole.
 */
export function correctNambuDbTime(naive: string): Corrected | null {
  const t = parseNaiveKst(naive);
  if (!t) return null;
  const late = t.getTime() < parseNaiveKst(NAMBU_LEGACY_LATE_BEFORE)!.getTime();
  return late ? { datetime: new Date(t.getTime() - HOUR_MS), shifted: true } : { datetime: t, shifted: false };
}

/** `nambu_processed_*.csv`: every row was written by the legacy merge (timestamp = ymd + N h), so all move back 1 h. */
export function correctNambuProcessedTime(naive: string): Corrected | null {
  const t = parseNaiveKst(naive);
  return t ? { datetime: new Date(t.getTime() - HOUR_MS), shifted: true } : null;
}

/**
 * `namdong_generation` of the earlier pipeline mixes midnight rows (the hour only in `hour`) and
 * interval-start rows. The one formula right for both: date_trunc('day', datetime) + (hour − 1) h.
 */
export function namdongLegacyTime(naive: string, hour: number): Corrected | null {
  const t = parseNaiveKst(naive);
  if (!t || !Number.isInteger(hour) || hour < 1 || hour > 24) return null;
  const day = naiveKst(t).slice(0, 10);
  const datetime = new Date(new Date(`${day}T00:00:00+09:00`).getTime() + (hour - 1) * HOUR_MS);
  return { datetime, shifted: datetime.getTime() !== t.getTime() };
}

export interface KoenUnitRef {
  plant_name: string;
  hogi: number;
  display_name: string | null;
}

export type NamdongIdentity = { plantName: string; hogi: number } | { problem: string };

/**
 * The earlier pipeline's KOEN plant name → (발전구분, 호기). It suffixed `_호기` per file when a plant
 * had several units in that file (DOMAIN §2.6, §9 pitfall 14), so: a known legacy name (the
 * `display_name` of namdong_plants) maps to its unit; a bare name of a plant with one unit is that
 * unit; a bare name of a plant with several units cannot be placed (reported, not imported); a
 * `name_N` suffix is unit N; any other name is a unit 1 of a plant not yet known.
 */
export function resolveNamdongName(name: string, units: readonly KoenUnitRef[]): NamdongIdentity {
  const n = name.trim();
  if (n === "") return { problem: "empty plant name" };
  const byDisplay = units.find((u) => u.display_name === n);
  if (byDisplay) return { plantName: byDisplay.plant_name, hogi: byDisplay.hogi };
  const same = units.filter((u) => u.plant_name === n);
  if (same.length === 1) return { plantName: n, hogi: same[0].hogi };
  if (same.length > 1) {
    return { problem: `${n} has units ${same.map((u) => u.hogi).sort((a, b) => a - b).join(", ")} and the legacy name carries no 호기 (DOMAIN §9.14)` };
  }
  const m = /^(.*\S)_(\d+)$/.exec(n);
  if (m) return { plantName: m[1], hogi: Number(m[2]) };
  return { plantName: n, hogi: 1 };
}

/** `nambu_bulk_997S_1.csv`, `nambu_processed_B997_2.csv` → the unit the file holds. */
export function nambuFileUnit(fileName: string): { gencd: string; hogi: number } | null {
  const m = /^nambu_(?:bulk|processed)_(.+)_(\d+)\.csv$/i.exec(fileName);
  return m ? { gencd: m[1], hogi: Number(m[2]) } : null;
}

/** `south_pv_전체_20260301-20260331.csv` → the download window, when the name carries one. */
export function koenFileWindow(fileName: string): { start: string; end: string } | null {
  const m = /_(\d{8})-(\d{8})\.csv$/i.exec(fileName);
  if (!m) return null;
  const start = normalizeYmd(m[1]);
  const end = normalizeYmd(m[2]);
  return start && end && start <= end ? { start, end } : null;
}
