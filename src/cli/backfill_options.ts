// `pvpipe backfill` / `plan` options (and the UI's launch form): the sources, units and stations
// the catalog knows, validated before anything starts (usage error, exit 2, nothing written).
import { z } from "zod";
import { KOSPO_UNITS } from "../../f/lib/reference/plants_gen.ts";
import { ASOS_STATIONS } from "../../f/lib/reference/stations_gen.ts";
import { LOADED_ASSETS } from "../../f/lib/assets/catalog.ts";
import { SOURCE_NAMES } from "../../f/lib/assets/sources.ts";
import { policySchema } from "../../f/lib/planner/policy.ts";
import type { UnitFilter } from "../../f/lib/sources/source.ts";
import { isoDate, yesterdayKst } from "../../f/lib/time/kst.ts";
import { BACKFILL_PARALLELISM } from "../../flows/inputs.ts";
import { outputOptions, startNotAfterEnd, stationIdOption } from "./options.ts";

/** "kospo, asos or koen". */
const either = (names: string[]) => (names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}` : (names[0] ?? "none"));
/** The sources whose plans take a filter, and those with a daily request quota. */
const taking = (filter: keyof UnitFilter) => LOADED_ASSETS.filter((a) => a.source.units.filters.includes(filter)).map((a) => a.source.name);
const QUOTA_SOURCES = LOADED_ASSETS.filter((a) => a.source.quota).map((a) => a.source.name);

export const backfillOptions = z
  .object({
    source: z.enum(SOURCE_NAMES, { message: `--source must be ${either(SOURCE_NAMES)}` }),
    start: isoDate,
    end: isoDate,
    gencd: z.string().trim().optional(),
    hogi: z.coerce.number().int().min(1, "--hogi must be a unit number ≥ 1").optional(),
    // ASOS station ids (repeatable --station); only with --source asos.
    station: z.array(stationIdOption).optional(),
    policy: policySchema.default("missing"),
    parallelism: z.coerce.number().int().min(1).max(16).default(BACKFILL_PARALLELISM),
    // A share of the data.go.kr key's daily quota (issue #18); the next scheduled run continues the rest.
    maxRequests: z.coerce
      .number({ message: "--max-requests must be a whole number of requests ≥ 1" })
      .int("--max-requests must be a whole number of requests ≥ 1")
      .positive("--max-requests must be a whole number of requests ≥ 1")
      .optional(),
    slack: z.boolean().default(false),
    debug: z.boolean().default(false),
    ...outputOptions,
  })
  .superRefine((o, ctx) => {
    startNotAfterEnd(o, ctx);
    const y = yesterdayKst();
    if (o.end > y) ctx.addIssue({ code: "custom", path: ["end"], message: `end ${o.end} is later than yesterday (${y} KST); sources publish up to yesterday` });
    if (o.gencd !== undefined) {
      const units = KOSPO_UNITS.filter((u) => u.gencd === o.gencd);
      if (units.length === 0) ctx.addIssue({ code: "custom", path: ["gencd"], message: `unknown KOSPO plant code ${JSON.stringify(o.gencd)}` });
      else if (o.hogi !== undefined && !units.some((u) => u.hogi === o.hogi)) {
        ctx.addIssue({ code: "custom", path: ["hogi"], message: `KOSPO plant ${o.gencd} has no unit ${o.hogi} (units: ${units.map((u) => u.hogi).join(", ")})` });
      }
    } else if (o.hogi !== undefined) {
      ctx.addIssue({ code: "custom", path: ["hogi"], message: "--hogi needs --gencd" });
    }
    if (!taking("plant").includes(o.source) && (o.gencd !== undefined || o.hogi !== undefined)) {
      ctx.addIssue({ code: "custom", path: [o.gencd !== undefined ? "gencd" : "hogi"], message: `applies to --source ${either(taking("plant"))} only` });
    }
    if (o.maxRequests !== undefined && !QUOTA_SOURCES.includes(o.source)) {
      ctx.addIssue({ code: "custom", path: ["maxRequests"], message: `--max-requests applies to the data.go.kr sources (--source ${either(QUOTA_SOURCES)})` });
    }
    if (o.station !== undefined && o.station.length > 0) {
      if (!taking("stations").includes(o.source)) ctx.addIssue({ code: "custom", path: ["station"], message: `applies to --source ${either(taking("stations"))} only` });
      const unknown = o.station.filter((id) => !ASOS_STATIONS.some((s) => s.stn_id === id));
      if (unknown.length) {
        ctx.addIssue({ code: "custom", path: ["station"], message: `unknown ASOS station ${unknown.join(", ")} (known: ${ASOS_STATIONS.map((s) => s.stn_id).join(", ")})` });
      }
    }
  });
export type BackfillOptions = z.infer<typeof backfillOptions>;
