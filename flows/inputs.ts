// Flow input fields shared by several flows; zod validates local runs and generates the
// Windmill form (JSON Schema) for remote ones.
import { z } from "zod";
import { LOADED_ASSETS } from "../f/lib/assets/catalog.ts";
import { SOURCE_NAMES } from "../f/lib/assets/sources.ts";
import { KOSPO_UNITS } from "../f/lib/reference/plants_gen.ts";

export const sourceField = z.enum(SOURCE_NAMES).describe(`Which source to load: ${LOADED_ASSETS.map((a) => a.source.description).join(", ")}`);
export const dateField = (what: string) => z.iso.date().describe(what);
/** KOSPO plant codes (gencd) of the shipped reference, with a readable label each for the form. */
const kospoPlants = [...new Map(KOSPO_UNITS.map((u) => [u.gencd, u.plant_name.replace(/^한국남부발전\(주\)_/, "").replace(/\s*태양광발전실적$/, "")])).entries()];
export const plantField = z
  // z.literal keeps this order in the form (z.enum would list numeric-looking codes first).
  .literal(["", ...kospoPlants.map(([code]) => code)])
  .default("")
  .describe("Plant code (KOSPO gencd, e.g. 997S); empty = every unit with coordinates")
  .meta({ enumLabels: Object.fromEntries([["", "(every unit with coordinates)"], ...kospoPlants.map(([code, name]) => [code, `${code} ${name}`])]) });
export const stationsField = z
  .array(z.number().int().positive())
  .default([])
  .describe("ASOS station ids (source asos only, e.g. [108, 255]); empty = the stations matched to plants");
export const unitField = z.number().int().min(0).default(0).describe("Unit number (호기); 0 = every unit of the plant");
export const policyField = z
  .enum(["missing", "failed", "stale", "all", "missing+failed", "missing+failed+stale"])
  .default("missing")
  .describe("Which partitions to (re)load: missing = never loaded, failed = last attempt failed, stale = code or upstream changed, all = everything in range");
export const parallelismField = z.number().int().min(1).max(16).default(4).describe("Chunks processed at the same time");
/**
 * A backfill's chunks wait mostly for the API (a chunk's requests follow one another: the range,
 * then the days its answer calls for), so it keeps three times as many in flight as a daily flow;
 * the run's API budget is the same at any parallelism (f/lib/load/api_share.ts). 12 rather than 8:
 * bench §7's mix ran 7.7–8.6 s against 9.0–9.9 s at 8 (alternated, one session), peak RSS of §4
 * 140 MB against 134 MB.
 */
export const BACKFILL_PARALLELISM = 12;
export const backfillParallelismField = parallelismField.default(BACKFILL_PARALLELISM).describe("Chunks processed at the same time (they share the run's API budget)");
export const maxRequestsField = z
  .number()
  .int()
  .min(0)
  .default(0)
  .describe(
    "Stop cleanly after this many requests to the source (kospo, asos: the data.go.kr key's daily quota), leaving the rest of the quota to the daily flows; the source's next scheduled run continues the backfill with the same number each day. 0 = no limit",
  );
export const slackField = z.boolean().default(false).describe("Post a run report to Slack");
export const debugField = z.boolean().default(false).describe("Verbose step logs");
