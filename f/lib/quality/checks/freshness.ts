// freshness: the partition that should exist by now does — D-1 by 10:00 KST for daily assets, the
// previous month by the 11th for KOEN. Judged per cadence for "today's" target: before the deadline
// a missing target is only a warning (not late yet), after it the check's severity; a monthly
// target loaded before its month is final (KOEN: the 10th) is `partial`, which is fine until the
// deadline. Evaluation: freshness_eval.ts.
import { addDays, addMonths, kstMidnight, monthStart, todayKst, yesterdayKst } from "../../time/kst.ts";
import type { AssetCheckSpec, FreshnessRule } from "../check_spec.ts";

export function freshness(rule: FreshnessRule): AssetCheckSpec {
  return {
    kind: "freshness",
    name: "freshness",
    severity: "error",
    blocking: false,
    description:
      rule.kind === "daily"
        ? `D-1 present for every unit by ${String(rule.deadlineHourKst).padStart(2, "0")}:00 KST`
        : `the previous month present by the ${ordinal(rule.deadlineDay)}${rule.finalFromDay ? ` (partial until the ${ordinal(rule.finalFromDay)})` : ""}`,
    rule,
  };
}

export interface FreshnessTarget {
  /** The partition time key expected by now. */
  key: string;
  deadline: Date;
  due: boolean;
  label: string;
  /** Monthly: a load before this instant is partial. */
  finalFrom: Date | null;
}

export function freshnessTarget(rule: FreshnessRule, now: Date): FreshnessTarget {
  const today = todayKst(now);
  if (rule.kind === "daily") {
    const deadline = new Date(kstMidnight(today).getTime() + rule.deadlineHourKst * 3_600_000);
    return { key: yesterdayKst(now), deadline, due: now >= deadline, label: `D-1 due ${String(rule.deadlineHourKst).padStart(2, "0")}:00 KST`, finalFrom: null };
  }
  const key = monthStart(addMonths(today, -1));
  const deadline = kstMidnight(addDays(monthStart(today), rule.deadlineDay - 1));
  const finalFrom = rule.finalFromDay ? kstMidnight(addDays(monthStart(today), rule.finalFromDay - 1)) : null;
  return { key, deadline, due: now >= deadline, label: `previous month due on the ${ordinal(rule.deadlineDay)}`, finalFrom };
}

export const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;
