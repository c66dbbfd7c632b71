// CLI options validated with zod before anything starts: a bad date or an unknown plant is a
// usage error (exit 2) with nothing written.
import { z } from "zod";
import { KOSPO_UNITS } from "../../f/lib/reference/plants_gen.ts";
import { ASOS_STATIONS } from "../../f/lib/reference/stations_gen.ts";
import { LOADED_ASSETS } from "../../f/lib/assets/catalog.ts";
import { SOURCE_NAMES } from "../../f/lib/assets/sources.ts";
import { policySchema } from "../../f/lib/planner/policy.ts";
import type { UnitFilter } from "../../f/lib/sources/source.ts";
import { isoDate, yesterdayKst } from "../../f/lib/time/kst.ts";
import { UsageError } from "../config/errors.ts";

/** "kospo, asos or koen". */
const either = (names: string[]) => (names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}` : (names[0] ?? "none"));
/** The sources whose plans take a filter, and those with a daily request quota. */
const taking = (filter: keyof UnitFilter) => LOADED_ASSETS.filter((a) => a.source.units.filters.includes(filter)).map((a) => a.source.name);
const QUOTA_SOURCES = LOADED_ASSETS.filter((a) => a.source.quota).map((a) => a.source.name);

/** An ASOS station id given on the command line (--station 108). */
export const stationIdOption = z.coerce.number({ message: "must be an ASOS station id such as 108" }).int("must be an ASOS station id such as 108").positive("must be an ASOS station id such as 108");

/** --json and --db-url, as most commands take them. */
export const outputOptions = { json: z.boolean().default(false), dbUrl: z.string().optional() };

/** A range's start must not come after its end. */
export function startNotAfterEnd(o: { start: string; end: string }, ctx: z.RefinementCtx): void {
  if (o.start > o.end) ctx.addIssue({ code: "custom", path: ["start"], message: `start ${o.start} is after end ${o.end}` });
}

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
    parallelism: z.coerce.number().int().min(1).max(16).default(4),
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

export function parseOptions<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const flag = issue.path.length && !issue.message.startsWith("--") ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ` : "";
  throw new UsageError(`${flag}${issue.message}`);
}

/** `--input key=value` pairs; values stay strings until the flow's schema says what they are. */
export function parseInputPairs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf("=");
    if (i <= 0) throw new UsageError(`--input ${JSON.stringify(p)} is not key=value`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

/** `pvpipe import-legacy`: exactly one of --from-db / --from-dir (issue #11). */
export const importLegacyOptions = z
  .object({
    fromDb: z.string().trim().min(1, "needs a postgres:// URL").optional(),
    fromDir: z.string().trim().min(1, "needs a directory").optional(),
    dryRun: z.boolean().default(false),
    prefer: z.enum(["new", "legacy"], { message: "must be new (rows already loaded win) or legacy" }).default("new"),
    json: z.boolean().default(false),
    dbUrl: z.string().optional(),
  })
  .superRefine((o, ctx) => {
    if (o.fromDb === undefined && o.fromDir === undefined) {
      ctx.addIssue({ code: "custom", path: ["fromDb"], message: "give the earlier pipeline's database (--from-db URL) or its CSV archive (--from-dir PATH)" });
    } else if (o.fromDb !== undefined && o.fromDir !== undefined) {
      ctx.addIssue({ code: "custom", path: ["fromDir"], message: "give either --from-db or --from-dir, not both (run the command once for each)" });
    }
  });
export type ImportLegacyOptions = z.infer<typeof importLegacyOptions>;
