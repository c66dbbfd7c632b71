// Flow input fields shared by several flows; zod validates local runs and generates the
// Windmill form (JSON Schema) for remote ones.
import { z } from "zod";

export const sourceField = z.enum(["kospo"]).describe("Which source to load: kospo = 한국남부발전 PV (data.go.kr)");
export const dateField = (what: string) => z.iso.date().describe(what);
export const plantField = z.string().default("").describe("Plant code (KOSPO gencd, e.g. 997S); empty = every unit with coordinates");
export const unitField = z.number().int().min(0).default(0).describe("Unit number (호기); 0 = every unit of the plant");
export const policyField = z
  .enum(["missing", "failed", "stale", "all", "missing+failed", "missing+failed+stale"])
  .default("missing")
  .describe("Which partitions to (re)load: missing = never loaded, failed = last attempt failed, stale = code or upstream changed, all = everything in range");
export const parallelismField = z.number().int().min(1).max(16).default(4).describe("Chunks processed at the same time");
export const slackField = z.boolean().default(false).describe("Post a run report to Slack");
export const debugField = z.boolean().default(false).describe("Verbose step logs");
