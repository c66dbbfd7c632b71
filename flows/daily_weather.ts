// daily_weather (09:00 KST): ASOS D-1 for every station plus a catch-up of anything missing or
// failed in the last week, so a skipped schedule or a failed run is repaired by the next one.
// KMA publishes hourly ASOS up to yesterday; D-1 is complete by 09:00 KST. Then it continues ASOS
// backfills stopped by the quota or their --max-requests on an earlier day (flows/continuation.ts).
import { z } from "zod";
import { asosHourly } from "../f/lib/assets/catalog.ts";
import { parallelismField, slackField } from "./inputs.ts";
import { scheduledLoad } from "./scheduled_load.ts";

export const dailyWeather = scheduledLoad({
  id: "daily_weather",
  summary: "KMA ASOS weather: yesterday plus catch-up",
  description: "Loads yesterday (KST) for every ASOS station, and any missing or failed station-day of the last week; then continues ASOS backfills stopped by the quota or their request budget on an earlier day.",
  asset: asosHourly,
  input: z.object({
    lookback_days: z.number().int().min(1).max(60).default(8).describe("Days up to yesterday to check (8 = D-1 plus 7 days of catch-up)"),
    station_set: z.enum(["all", "mapped"]).default("all").describe("all = every ASOS station; mapped = only the stations matched to plants"),
    parallelism: parallelismField,
    slack: slackField,
  }),
  order: ["lookback_days", "station_set", "parallelism", "slack"],
  window: (input) => ({ lookback_days: input("lookback_days"), station_set: input("station_set") }),
  parallelism: (input) => input("parallelism"),
  slack: (input) => input("slack"),
});
