// daily_nambu (09:30 KST): KOSPO D-1 plus a catch-up of anything missing or failed in the
// last week, so a skipped schedule or a failed run is repaired by the next one; then it continues
// KOSPO backfills stopped by the quota or their --max-requests on an earlier day (flows/continuation.ts).
import { z } from "zod";
import { kospoHourly } from "../f/lib/assets/catalog.ts";
import { parallelismField, slackField } from "./inputs.ts";
import { scheduledLoad } from "./scheduled_load.ts";

export const dailyNambu = scheduledLoad({
  id: "daily_nambu",
  summary: "KOSPO PV: yesterday plus catch-up",
  description: "Loads yesterday (KST) for every KOSPO unit with coordinates, and any missing or failed day of the last week; then continues KOSPO backfills stopped by the quota or their request budget on an earlier day.",
  asset: kospoHourly,
  input: z.object({
    lookback_days: z.number().int().min(1).max(60).default(8).describe("Days up to yesterday to check (8 = D-1 plus 7 days of catch-up)"),
    parallelism: parallelismField,
    slack: slackField,
  }),
  order: ["lookback_days", "parallelism", "slack"],
  window: (input) => ({ lookback_days: input("lookback_days") }),
  parallelism: (input) => input("parallelism"),
  slack: (input) => input("slack"),
});
