// monthly_namdong (10th of the month, 10:00 KST): KOEN PV of the previous calendar month — KOEN has
// published it by then (DOMAIN §2.7) — plus any month of the last `lookback_months` that is missing,
// failed, or was fetched while still partial. Downloads run one at a time (parallelism 1).
import { z } from "zod";
import { koenHourly } from "../f/lib/assets/catalog.ts";
import { value } from "../src/flow/dsl.ts";
import { slackField } from "./inputs.ts";
import { scheduledLoad } from "./scheduled_load.ts";

export const monthlyNamdong = scheduledLoad({
  id: "monthly_namdong",
  summary: "KOEN PV: previous month plus catch-up",
  description:
    "Downloads the previous calendar month of KOEN (한국남동발전) PV from koenergy.kr, and any missing, failed or partial month of the last three.",
  asset: koenHourly,
  input: z.object({
    lookback_months: z.number().int().min(1).max(24).default(3).describe("Full months before this one to check (3 = previous month plus two of catch-up)"),
    slack: slackField,
  }),
  order: ["lookback_months", "slack"],
  window: (input) => ({ lookback_months: input("lookback_months") }),
  parallelism: () => value(1),
  slack: (input) => input("slack"),
});
